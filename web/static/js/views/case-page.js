// The case page: where the case stands (stage, lifecycle bar, hint), what the user may do now (forms),
// what others must do, and the money, deadlines, escalations, people and timeline.
import { api, ApiError } from '../api.js';
import { announce, h, replace } from '../dom.js';
import { label, t, tn } from '../i18n.js';
import { can, session } from '../session.js';
import { loadProgrammes } from '../data.js';
import { actionForm, ENDING_ACTIONS } from './action-forms.js';
import { amountsPanel, deadlinesPanel, escalationsPanel, factsPanel, householdPanel } from './case-sections.js';
import { shortId } from './case-list.js';
import { progressBar } from './progress.js';
import { timelineTable } from './timeline.js';

export async function casePageView({ params }) {
  const programmes = await loadProgrammes();
  let c;
  try {
    c = await fetchCase(params.id);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return notFound();
    throw err;
  }
  const root = h('section', { class: 'case-page' });

  function render(view) {
    c = view;
    const programme = programmes.find((p) => p.id === c.programmeId);
    replace(root, ...content(c, programme, { onDone, onRefresh }));
  }

  function onDone(updated, action) {
    render(updated);
    root.querySelector('h1').focus();
    announce(t('case.done', { action: label('action', action), stage: label('stage', updated.stage) }), 'success');
  }

  async function onRefresh() {
    render(await fetchCase(c.caseId));
    announce(t('case.refreshed'));
  }

  render(c);
  return { title: t('case.title', { id: shortId(c.caseId) }), node: root };
}

function fetchCase(id) {
  return api('GET', `/api/v1/cases/${encodeURIComponent(id)}`);
}

function content(c, programme, { onDone, onRefresh }) {
  const role = session().user.role;
  const pending = c.pendingActions ?? [];
  const mine = can('case.act') ? pending.filter((p) => p.roles.includes(role)) : [];
  const others = pending.filter((p) => !mine.includes(p));
  const main = mine.filter((p) => !ENDING_ACTIONS.has(p.action));
  const ending = mine.filter((p) => ENDING_ACTIONS.has(p.action));
  const openEscalations = (c.escalations ?? []).filter((e) => !e.resolvedAt).length;

  return [
    h(
      'div',
      { class: 'page-head' },
      h('div', {},
        h('h1', { id: 'page-title', tabindex: '-1' }, t('case.title', { id: shortId(c.caseId) })),
        h('p', { class: 'case-id' }, t('case.fullId'), ' ', h('code', {}, c.caseId))),
      h('div', { class: 'head-side' },
        h('span', { class: `stage stage-${c.stage}`, 'data-testid': 'stage' }, label('stage', c.stage)),
        openEscalations ? h('span', { class: 'badge warn' }, `⚠ ${tn('list.escalationCount', openEscalations)}`) : null,
        h('button', { type: 'button', class: 'secondary', onclick: onRefresh }, t('case.refresh'))),
    ),
    h('p', { class: 'hint', 'data-testid': 'hint' }, hint(c, main, ending, others)),
    progressBar(c),
    // Three blocks: beside each other on wide screens; on narrow ones the panels come before the long timeline.
    h(
      'div',
      { class: 'case-layout' },
      h(
        'div',
        { class: 'case-actions' },
        main.length
          ? h('section', { class: 'card', 'aria-labelledby': 'todo-title' }, h('h2', { id: 'todo-title' }, t('case.youCan')), main.map((p) => actionForm(c, p.action, onDone)))
          : null,
        others.length
          ? h('section', { class: 'card', 'aria-labelledby': 'others-title' },
              h('h2', { id: 'others-title' }, t('case.waitingFor')),
              h('ul', { class: 'plain' }, others.map((p) => h('li', {}, h('strong', {}, label('action', p.action)), ` — ${p.roles.map((r) => label('role', r)).join(', ')}`))))
          : null,
        ending.length
          ? h('details', { class: 'card ending-actions' }, h('summary', {}, t('case.endingActions')), h('p', { class: 'field-hint' }, t('case.endingHint')), ending.map((p) => actionForm(c, p.action, onDone)))
          : null,
      ),
      h(
        'div',
        { class: 'case-side' },
        escalationsPanel(c),
        amountsPanel(c, programme?.currency),
        deadlinesPanel(c),
        factsPanel(c, programme),
        householdPanel(c.personal),
      ),
      h('div', { class: 'case-history' }, timelineTable(c)),
    ),
  ];
}

/** One line saying what happens next, from the user's point of view. */
function hint(c, main, ending, others) {
  if (c.stage === 'closed' || c.stage === 'erased') return t('case.hint.ended');
  if (main.length) return t('case.hint.act', { action: label('action', main[0].action) });
  const waiting = others.find((p) => !ENDING_ACTIONS.has(p.action));
  if (waiting) return t('case.hint.wait', { action: label('action', waiting.action), roles: waiting.roles.map((r) => label('role', r)).join(', ') });
  if (ending.length) return t('case.hint.onlyEnding');
  return t('case.hint.nothing');
}

function notFound() {
  return {
    title: t('case.notFound'),
    node: h('section', {}, h('h1', { id: 'page-title', tabindex: '-1' }, t('case.notFound')), h('p', { class: 'hint' }, t('case.notFoundHint')), h('p', {}, h('a', { href: '#/cases' }, t('nav.cases')))),
  };
}
