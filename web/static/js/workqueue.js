// The workqueue: the cases waiting on a step my role can take, or my own cases, soonest deadline first, with
// overdue and due-soon deadlines marked. Staff can take a case ("assign to me") or hand it back from here.
import { api, query } from './api.js';
import { announce, announceNext, h } from './dom.js';
import { countryName } from './countries.js';
import { formatDate, label, t, tn } from './i18n.js';
import { caseHref, navigate } from './router.js';
import { can, session } from './session.js';
import { loadProgrammes, programmeName } from './data.js';

export const QUEUES = ['waiting', 'mine'];
const PAGE_SIZE = 25;

export async function workqueueView({ query: q }) {
  const queue = QUEUES.includes(q.get('queue')) ? q.get('queue') : 'waiting';
  const due = ['overdue', 'due_soon'].includes(q.get('due')) ? q.get('due') : '';
  // The whole queues' counts, for the tabs and the due links whatever filter is on.
  const [programmes, counts] = await Promise.all([loadProgrammes(), api('GET', '/api/v1/workqueues/counts')]);
  const body = h('tbody');
  const count = h('p', { class: 'count', role: 'status' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, t('list.more'));
  let cursor = null;
  let shown = 0;

  async function loadPage() {
    more.disabled = true;
    const page = await api('GET', `/api/v1/workqueues/${queue}${query({ due, limit: PAGE_SIZE, cursor })}`);
    for (const item of page.items) body.append(row(item, programmes, queue));
    shown += page.items.length;
    cursor = page.nextCursor;
    more.hidden = !cursor;
    more.disabled = false;
    count.textContent = page.counts.total === 0 ? t(`wq.none.${queue}`) : t('wq.count', {
      total: tn('wq.cases', page.counts.total), overdue: page.counts.overdue, dueSoon: page.counts.dueSoon, shown,
    });
    return page;
  }

  more.addEventListener('click', async () => {
    const page = await loadPage();
    announce(tn('list.loaded', page.items.length));
  });
  await loadPage();

  const tab = (name) => h('a', { href: `#/workqueue${query({ queue: name })}`, 'aria-current': name === queue ? 'page' : null },
    t(`wq.tab.${name}`), ' ', h('span', { class: 'badge' }, String(counts[name].total)));
  const dueLink = (value, text) => h('a', { href: `#/workqueue${query({ queue, due: value })}`, 'aria-current': value === due ? 'true' : null }, text);
  return {
    title: t(`wq.tab.${queue}`),
    node: h(
      'section',
      {},
      h('div', { class: 'page-head' }, h('h1', { id: 'page-title', tabindex: '-1' }, t('wq.title'))),
      h('nav', { class: 'wq-tabs', 'aria-label': t('wq.queues') }, QUEUES.map(tab)),
      h('p', { class: 'hint' }, t(`wq.hint.${queue}`)),
      h('p', { class: 'wq-due' }, t('wq.show'), ' ',
        dueLink('', t('wq.dueAll')), ' · ',
        dueLink('overdue', t('wq.dueOverdue', { n: counts[queue].overdue })), ' · ',
        dueLink('due_soon', t('wq.dueSoon', { n: counts[queue].dueSoon }))),
      count,
      h('div', { class: 'table-wrap' },
        h('table', { class: 'cases workqueue' },
          h('caption', { class: 'visually-hidden' }, t(`wq.caption.${queue}`)),
          h('thead', {}, h('tr', {}, ['case', 'nextDeadline', 'stage', 'steps', 'assignee', 'programme', 'country', 'take'].map((c) => h('th', { scope: 'col' }, t(`wq.col.${c}`))))),
          body)),
      h('div', { class: 'actions' }, more),
    ),
  };
}

function row(item, programmes, queue) {
  const mark = item.due ? h('span', { class: `badge due-${item.due}` }, t(`wq.due.${item.due}`)) : null;
  return h(
    'tr',
    { class: item.due === 'overdue' ? 'overdue-row' : null, dataset: { case: item.caseId } },
    h('th', { scope: 'row' }, h('a', { href: caseHref(item.caseId), title: item.caseId }, item.caseId.replace(/^case-/, '').slice(0, 8))),
    h('td', { class: item.due === 'overdue' ? 'overdue' : null }, item.nextDeadline ? formatDate(item.nextDeadline) : t('wq.noDeadline'), mark ? ' ' : '', mark),
    h('td', {}, h('span', { class: `stage stage-${item.stage}` }, label('stage', item.stage)),
      item.openEscalations > 0 ? [' ', h('span', { class: 'badge warn' }, `⚠ ${tn('list.escalationCount', item.openEscalations)}`)] : null),
    h('td', {}, item.actions.length ? item.actions.map((a) => label('action', a)).join(', ') : '—'),
    h('td', {}, assigneeText(item.assignee)),
    h('td', {}, programmeName(programmes, item.programmeId)),
    h('td', {}, countryName(item.country)),
    h('td', {}, assignButton(item, queue)),
  );
}

function assigneeText(assignee) {
  if (!assignee) return t('wq.unassigned');
  return assignee === session()?.user.userId ? t('wq.me') : assignee;
}

/** "Assign to me" on a case nobody else holds; "Unassign" on my own. Both go through the case's workflow. */
function assignButton(item, queue) {
  if (!can('case.assign')) return null;
  const me = session().user.userId;
  if (item.assignee && item.assignee !== me) return null;
  const mine = item.assignee === me;
  const button = h('button', { type: 'button', class: 'secondary small' }, t(mine ? 'wq.unassign' : 'wq.assignMe'));
  button.setAttribute('aria-label', t(mine ? 'wq.unassignCase' : 'wq.assignMeCase', { id: item.caseId }));
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const path = `/api/v1/cases/${encodeURIComponent(item.caseId)}/assignee`;
      await (mine ? api('DELETE', path) : api('PUT', path, { body: { assignee: me } }));
      announceNext(t(mine ? 'wq.done.unassigned' : 'wq.done.assigned'), 'success');
      navigate(location.hash || `#/workqueue${query({ queue })}`);
    } catch (err) {
      button.disabled = false;
      announce(err.problem?.detail ?? t('error.unexpected'), 'error');
    }
  });
  return button;
}
