// The case list: filters kept in the address (so a filtered list can be bookmarked), escalated cases
// highlighted, and keyset pagination through a "more" button.
import { api, query } from '../api.js';
import { announce, h } from '../dom.js';
import { countryName, countryOptions } from '../countries.js';
import { inputField, selectField } from '../fields.js';
import { formatDate, label, t, tn } from '../i18n.js';
import { caseHref, navigate } from '../router.js';
import { stages } from '../schema.js';
import { can } from '../session.js';
import { loadProgrammes, programmeName } from '../data.js';

const FILTERS = ['stage', 'programme', 'country', 'office', 'escalated'];
const PAGE_SIZE = 25;

export async function caseListView({ query: q }) {
  const programmes = await loadProgrammes();
  const filters = Object.fromEntries(FILTERS.map((f) => [f, q.get(f) ?? '']));
  const body = h('tbody');
  const count = h('p', { class: 'count', role: 'status' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, t('list.more'));
  let shown = 0;
  let cursor = null;

  async function loadPage() {
    more.disabled = true;
    const page = await api('GET', `/api/v1/cases${query({ ...filters, limit: PAGE_SIZE, cursor })}`);
    for (const item of page.items) body.append(row(item, programmes));
    shown += page.items.length;
    cursor = page.nextCursor;
    more.hidden = !cursor;
    more.disabled = false;
    count.textContent = shown === 0 ? t('list.none') : tn(cursor ? 'list.countMore' : 'list.count', shown);
    return page.items.length;
  }

  more.addEventListener('click', async () => {
    const n = await loadPage();
    announce(tn('list.loaded', n));
  });
  await loadPage();

  return {
    title: t('list.title'),
    node: h(
      'section',
      {},
      h('div', { class: 'page-head' }, h('h1', { id: 'page-title', tabindex: '-1' }, t('list.title')),
        can('case.create') ? h('a', { class: 'button primary', href: '#/cases/new' }, t('nav.newCase')) : null),
      h('p', { class: 'hint' }, t(can('case.create') ? 'list.hint' : 'list.hintRead')),
      filterForm(filters, programmes),
      count,
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'cases' },
          h('caption', { class: 'visually-hidden' }, t('list.caption')),
          h('thead', {}, h('tr', {}, ['case', 'programme', 'country', 'office', 'household', 'stage', 'nextDeadline', 'escalations', 'opened'].map((c) => h('th', { scope: 'col' }, t(`list.col.${c}`))))),
          body,
        ),
      ),
      h('div', { class: 'actions' }, more),
    ),
  };
}

function row(item, programmes) {
  const escalated = item.openEscalations > 0;
  const overdue = item.nextDeadline && new Date(item.nextDeadline) < new Date();
  return h(
    'tr',
    { class: escalated ? 'escalated' : null },
    h('th', { scope: 'row' }, h('a', { href: caseHref(item.caseId), title: item.caseId }, shortId(item.caseId))),
    h('td', {}, programmeName(programmes, item.programmeId)),
    h('td', {}, countryName(item.country)),
    h('td', {}, item.office),
    h('td', { class: 'num' }, item.household?.size ?? ''),
    h('td', {}, h('span', { class: `stage stage-${item.stage}` }, label('stage', item.stage)), item.outcome ? ` · ${label('outcome', item.outcome)}` : ''),
    h('td', { class: overdue ? 'overdue' : null }, formatDate(item.nextDeadline), overdue ? ` (${t('case.overdue')})` : ''),
    h('td', {}, escalated ? h('span', { class: 'badge warn' }, `⚠ ${tn('list.escalationCount', item.openEscalations)}`) : '—'),
    h('td', {}, formatDate(item.openedAt)),
  );
}

/** case-3f2a…: the tail is enough to tell cases apart on screen; the link and title carry the full ID. */
export function shortId(caseId) {
  return caseId.replace(/^case-/, '').slice(0, 8);
}

function filterForm(filters, programmes) {
  const any = t('filter.any');
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': t('filter.title') },
    selectField({ path: 'stage', label: t('filter.stage'), placeholder: any, value: filters.stage, options: stages().map((s) => ({ value: s, label: label('stage', s) })) }),
    selectField({ path: 'programme', label: t('filter.programme'), placeholder: any, value: filters.programme, options: programmes.map((p) => ({ value: p.id, label: p.name })) }),
    selectField({ path: 'country', label: t('filter.country'), placeholder: any, value: filters.country, options: countryOptions() }),
    inputField({ path: 'office', label: t('filter.office'), value: filters.office, attrs: { maxlength: 64 } }),
    selectField({
      path: 'escalated',
      label: t('filter.escalated'),
      placeholder: any,
      value: filters.escalated,
      options: [{ value: 'true', label: t('filter.escalatedYes') }, { value: 'false', label: t('filter.escalatedNo') }],
    }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('filter.apply')), h('button', { type: 'reset', class: 'secondary' }, t('filter.reset'))),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const values = Object.fromEntries(FILTERS.map((f) => [f, form.elements[f].value.trim()]));
    navigate(`#/cases${query(values)}`);
  });
  form.addEventListener('reset', (ev) => {
    ev.preventDefault();
    navigate('#/cases');
  });
  return form;
}
