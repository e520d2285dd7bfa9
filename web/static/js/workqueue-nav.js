// The workqueue's link in the main navigation, with how many cases wait on me and how many of those are overdue.
// The link is drawn at once; the numbers follow when GET /api/v1/workqueues/counts answers.
import { api } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';

export function workqueueNavLink(active) {
  const badge = h('span', { class: 'nav-count', hidden: true });
  const link = h('a', { href: '#/workqueue', 'aria-current': active ? 'page' : null }, t('nav.workqueue'), badge);
  api('GET', '/api/v1/workqueues/counts')
    .then(({ waiting }) => {
      badge.textContent = waiting.overdue > 0 ? t('wq.navCountOverdue', { n: waiting.total, overdue: waiting.overdue }) : t('wq.navCount', { n: waiting.total });
      badge.classList.toggle('has-overdue', waiting.overdue > 0);
      badge.hidden = false;
    })
    // The counts are a convenience: the link works without them.
    .catch(() => undefined);
  return link;
}
