// The case's timeline, newest first: what happened, when, by whom (role), and how the stage moved.
import { h } from '../dom.js';
import { formatDate, label, t } from '../i18n.js';

export function timelineTable(c) {
  const entries = [...(c.timeline ?? [])].sort((a, b) => b.seq - a.seq);
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'timeline-title' },
    h('h2', { id: 'timeline-title' }, t('case.timeline')),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'timeline' },
        h('caption', { class: 'visually-hidden' }, t('case.timelineCaption')),
        h('thead', {}, h('tr', {}, ['seq', 'at', 'event', 'by', 'stage'].map((k) => h('th', { scope: 'col' }, t(`timeline.${k}`))))),
        h('tbody', {}, entries.map(row)),
      ),
    ),
    entries.length ? null : h('p', {}, t('case.noEvents')),
  );
}

function row(e) {
  const moved = e.stageBefore !== e.stageAfter;
  return h(
    'tr',
    { class: e.type === 'case.escalated' ? 'escalated' : null },
    h('td', { class: 'num' }, e.seq),
    h('td', {}, h('time', { datetime: e.at }, formatDate(e.at))),
    h('td', {}, what(e), e.reason ? h('div', { class: 'reason' }, `“${e.reason}”`) : null),
    h('td', {}, e.actor ? label('role', e.actor.role) : t('timeline.system')),
    h('td', {}, moved ? `${label('stage', e.stageBefore)} → ${label('stage', e.stageAfter)}` : label('stage', e.stageAfter)),
  );
}

/** A step is named by its action; an event a step caused (stage change, payment) by its type, then the step. */
function what(e) {
  if (e.type === 'case.action' && e.action) return label('action', e.action);
  return [label('event', e.type), e.action ? h('div', { class: 'caused-by' }, t('timeline.causedBy', { action: label('action', e.action) })) : null];
}
