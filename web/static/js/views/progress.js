// The lifecycle as a row of steps: done, current, skipped (e.g. no medical check was needed) or still ahead.
// What was visited comes from the case's own timeline, so the bar never guesses.
import { h } from '../dom.js';
import { label, t } from '../i18n.js';
import { stages } from '../schema.js';

/** The steps a case walks through; closed and erased are end states, shown as the outcome instead. */
function lifecycle() {
  return stages().filter((s) => s !== 'closed' && s !== 'erased');
}

export function stepStates(c) {
  const steps = lifecycle();
  const visited = new Set((c.timeline ?? []).flatMap((e) => [e.stageBefore, e.stageAfter]));
  visited.add(c.stage);
  const furthest = Math.max(...steps.map((s, i) => (visited.has(s) ? i : -1)));
  return steps.map((s, i) => {
    if (s === c.stage) return { stage: s, state: 'current' };
    if (visited.has(s)) return { stage: s, state: 'done' };
    return { stage: s, state: i < furthest ? 'skipped' : 'todo' };
  });
}

export function progressBar(c) {
  const steps = stepStates(c);
  const position = steps.findIndex((s) => s.state === 'current');
  const ended = c.stage === 'closed' || c.stage === 'erased';
  const done = steps.filter((s) => s.state === 'done').length;
  const summary = ended
    ? t('progress.ended', { stage: label('stage', c.stage), outcome: c.outcome ? label('outcome', c.outcome) : '' })
    : t('progress.at', { n: position + 1, total: steps.length, stage: label('stage', c.stage) });
  const meter = h('span');
  // Set through the CSSOM: the page's CSP allows no inline style attributes to be relied on.
  meter.style.width = `${Math.round((100 * (ended ? steps.length : done)) / steps.length)}%`;
  return h(
    'section',
    { class: 'progress', 'aria-label': t('progress.title') },
    h('p', { class: 'progress-summary' }, summary),
    h('div', { class: 'progress-meter', 'aria-hidden': 'true' }, meter),
    h(
      'ol',
      {},
      steps.map((s, i) =>
        h(
          'li',
          { class: `step ${s.state}`, 'aria-current': s.state === 'current' ? 'step' : null },
          h('span', { class: 'marker', 'aria-hidden': 'true' }, s.state === 'done' ? '✓' : s.state === 'skipped' ? '–' : String(i + 1)),
          h('span', { class: 'step-label' }, label('stage', s.stage)),
          h('span', { class: 'visually-hidden' }, ` (${t(`progress.${s.state}`)})`),
        ),
      ),
    ),
  );
}
