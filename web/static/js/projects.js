// Cooperation projects: the list (stage and escalation filters, "more" pages) and one project's page with its
// money, slots, reports and beneficiaries (each linked to its case, with the case's current stage). Read-only:
// project steps are taken over the API. Texts are kept here, in both languages, so the page ships as one file.
import { api, query } from './api.js';
import { announce, h } from './dom.js';
import { currentLang, formatDate, formatMoney, label } from './i18n.js';
import { caseHref } from './router.js';
import { can } from './session.js';

const TEXT = {
  en: {
    nav: 'Projects', title: 'Cooperation projects', project: 'Project', more: 'Show more', none: 'No projects match.', all: 'All stages',
    escalated: 'Escalated only', stage: 'Stage', country: 'Country', slots: 'Slots', money: 'Released / budget',
    partner: 'Partner', funder: 'Funder', municipality: 'Municipality', reports: 'Periodic reports', tranches: 'Tranches',
    beneficiaries: 'Beneficiaries', escalations: 'Open escalations', due: 'due', sent: 'sent', missing: 'missing',
    enrolled: 'enrolled', left: 'left', caseStage: 'case stage', outcome: 'Outcome', back: 'All projects', nothing: 'None yet.',
    'stage.proposal': 'Proposal', 'stage.due_diligence': 'Partner due diligence', 'stage.agreement': 'Agreement',
    'stage.implementation': 'Implementation', 'stage.final_evaluation': 'Final evaluation', 'stage.closure': 'Closure', 'stage.closed': 'Closed',
  },
  it: {
    nav: 'Progetti', title: 'Progetti di cooperazione', project: 'Progetto', more: 'Mostra altri', none: 'Nessun progetto corrisponde.', all: 'Tutte le fasi',
    escalated: 'Solo con segnalazioni', stage: 'Fase', country: 'Paese', slots: 'Posti', money: 'Erogato / budget',
    partner: 'Partner', funder: 'Finanziatore', municipality: 'Comune', reports: 'Rapporti periodici', tranches: 'Tranche',
    beneficiaries: 'Beneficiari', escalations: 'Segnalazioni aperte', due: 'scadenza', sent: 'inviato', missing: 'mancante',
    enrolled: 'iscritto', left: 'uscito', caseStage: 'fase del caso', outcome: 'Esito', back: 'Tutti i progetti', nothing: 'Ancora nessuno.',
    'stage.proposal': 'Proposta', 'stage.due_diligence': 'Verifica del partner', 'stage.agreement': 'Accordo',
    'stage.implementation': 'Attuazione', 'stage.final_evaluation': 'Valutazione finale', 'stage.closure': 'Chiusura', 'stage.closed': 'Chiuso',
  },
};
const STAGES = ['proposal', 'due_diligence', 'agreement', 'implementation', 'final_evaluation', 'closure', 'closed'];
const PAGE_SIZE = 25;

function tx(key) {
  return TEXT[currentLang()]?.[key] ?? TEXT.en[key] ?? key;
}

export function projectHref(projectId) {
  return `#/projects/${encodeURIComponent(projectId)}`;
}

/** The header link, for roles that may read projects. */
export function projectsNavLink(active) {
  return can('project.read') ? h('a', { href: '#/projects', 'aria-current': active ? 'page' : null }, tx('nav')) : null;
}

export async function projectListView({ query: q }) {
  const stage = STAGES.includes(q.get('stage')) ? q.get('stage') : '';
  const escalated = q.get('escalated') === 'true' ? 'true' : '';
  const body = h('tbody');
  const count = h('p', { class: 'count', role: 'status' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, tx('more'));
  let cursor = null;
  async function loadPage() {
    more.disabled = true;
    const page = await api('GET', `/api/v1/cooperation-projects${query({ stage, escalated, limit: PAGE_SIZE, cursor })}`);
    for (const p of page.items) body.append(listRow(p));
    cursor = page.nextCursor;
    more.hidden = !cursor;
    more.disabled = false;
    if (!body.children.length) count.textContent = tx('none');
    return page;
  }
  more.addEventListener('click', async () => announce(`${(await loadPage()).items.length}`));
  await loadPage();
  const filter = (value, text, current) => h('a', { href: `#/projects${query({ stage: value, escalated })}`, 'aria-current': value === current ? 'true' : null }, text);
  return {
    title: tx('title'),
    node: h('section', {},
      h('div', { class: 'page-head' }, h('h1', { id: 'page-title', tabindex: '-1' }, tx('title'))),
      h('p', { class: 'wq-due' }, filter('', tx('all'), stage), ...STAGES.flatMap((s) => [' · ', filter(s, tx(`stage.${s}`), stage)]), ' · ',
        h('a', { href: `#/projects${query({ stage, escalated: escalated ? '' : 'true' })}`, 'aria-current': escalated ? 'true' : null }, tx('escalated'))),
      count,
      h('div', { class: 'table-wrap' }, h('table', { class: 'cases' },
        h('thead', {}, h('tr', {}, ['project', 'stage', 'country', 'slots', 'money'].map((c) => h('th', { scope: 'col' }, tx(c))))),
        body)),
      h('div', { class: 'actions' }, more)),
  };
}

function listRow(p) {
  return h('tr', { dataset: { project: p.projectId } },
    h('th', { scope: 'row' }, h('a', { href: projectHref(p.projectId) }, p.title)),
    h('td', {}, tx(`stage.${p.stage}`), p.openEscalations > 0 ? [' ', h('span', { class: 'badge warn' }, `⚠ ${p.openEscalations}`)] : null),
    h('td', {}, p.country),
    h('td', {}, `${p.slotsUsed} / ${p.slots}`),
    h('td', {}, `${formatMoney(p.released)} / ${formatMoney(p.budget)}`));
}

export async function projectPageView({ params }) {
  const p = await api('GET', `/api/v1/cooperation-projects/${encodeURIComponent(params.id)}`);
  const open = p.escalations.filter((e) => !e.resolvedAt);
  const list = (items, render) => (items.length ? h('ul', {}, items.map((x) => h('li', {}, render(x)))) : h('p', { class: 'hint' }, tx('nothing')));
  return {
    title: p.title,
    node: h('section', {},
      h('p', {}, h('a', { href: '#/projects' }, `← ${tx('back')}`)),
      h('div', { class: 'page-head' }, h('h1', { id: 'page-title', tabindex: '-1' }, p.title)),
      h('dl', { class: 'facts' },
        ...[['stage', tx(`stage.${p.stage}`)], ['partner', p.partnerId], ['country', p.country], ['municipality', p.municipality],
          ['funder', p.funder ?? '—'], ['slots', `${p.slotsUsed} / ${p.slots}`], ['money', `${formatMoney(p.funds.released)} / ${formatMoney(p.funds.budget)}`],
          ...(p.outcome ? [['outcome', p.outcome]] : [])].flatMap(([k, v]) => [h('dt', {}, tx(k)), h('dd', {}, v)])),
      open.length ? [h('h2', {}, tx('escalations')), list(open, (e) => `${e.reason.replace(/_/g, ' ')} (${e.key}) · ${formatDate(e.raisedAt)}`)] : null,
      h('h2', {}, tx('beneficiaries')),
      list(p.beneficiaries, (b) => [h('a', { href: caseHref(b.caseId) }, b.caseId.replace(/^case-/, '').slice(0, 8)), ` · ${tx(b.status)}`,
        b.caseStage ? ` · ${tx('caseStage')}: ${label('stage', b.caseStage)}` : '']),
      h('h2', {}, tx('reports')),
      list(p.reports, (r) => `#${r.no} · ${tx('due')} ${formatDate(r.dueAt)} · ${r.submittedAt ? `${tx('sent')} ${formatDate(r.submittedAt)}` : tx('missing')}`),
      h('h2', {}, tx('tranches')),
      list(p.tranches, (tr) => `${tr.id} · ${tr.milestone} · ${formatMoney(tr.amount)} · ${tr.status}`)),
  };
}
