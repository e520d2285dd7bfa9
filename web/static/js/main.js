// Starts the web app: language, the API's schema, the session, the header, then the page for the address.
import { setUnauthorizedHandler } from './api.js';
import { announceNext, flushAnnouncement, h, replace } from './dom.js';
import { LANGUAGES, currentLang, preferredLang, setLang, t } from './i18n.js';
import { current, navigate, route, startRouter } from './router.js';
import { loadSchema } from './schema.js';
import { can, forget, logout, restore, session } from './session.js';
import { forgetReferenceData } from './data.js';
import { loginView } from './views/login.js';
import { caseListView } from './views/case-list.js';
import { caseNewView } from './views/case-new.js';
import { casePageView } from './views/case-page.js';
import { workqueueView } from './workqueue.js';
import { workqueueNavLink } from './workqueue-nav.js';
import { dashboardView } from './dashboard.js';
import { projectListView, projectPageView, projectsNavLink } from './projects.js';

const main = document.getElementById('main');
let afterLogin = '#/cases';
let renderCount = 0;
let sessionExpired = false;

route('/login', () => loginView({ next: afterLogin, expired: sessionExpired, onLoggedIn }));
route('/cases', caseListView);
route('/cases/new', (ctx) => (can('case.create') ? caseNewView(ctx) : forbiddenView()));
route('/cases/:id', casePageView);
route('/workqueue', (ctx) => (can('workqueue.read') ? workqueueView(ctx) : forbiddenView()));
route('/dashboard', (ctx) => (can('report.read') ? dashboardView(ctx) : forbiddenView()));
route('/projects', (ctx) => (can('project.read') ? projectListView(ctx) : forbiddenView()));
route('/projects/:id', (ctx) => (can('project.read') ? projectPageView(ctx) : forbiddenView()));

function onLoggedIn(next) {
  sessionExpired = false;
  forgetReferenceData();
  navigate(next && next !== '#/login' ? next : '#/cases');
}

async function render() {
  const here = current();
  if (!session() && here.path !== '/login') {
    afterLogin = location.hash || '#/cases';
    return navigate('#/login');
  }
  if (session() && here.path === '/login') return navigate('#/cases');
  renderHeader();
  const ticket = ++renderCount;
  main.setAttribute('aria-busy', 'true');
  let page;
  try {
    page = here.view ? await here.view(here) : notFoundView();
  } catch (err) {
    page = errorView(err);
  }
  // A slower earlier page must not overwrite a later one the user already moved to.
  if (ticket !== renderCount) return;
  main.removeAttribute('aria-busy');
  replace(main, page.node);
  document.title = `${page.title} · ${t('app.name')}`;
  flushAnnouncement();
  // Move focus to the new page's heading, so screen readers announce it and Tab starts from there.
  (main.querySelector('#page-title') ?? main).focus();
}

function renderHeader() {
  const user = session()?.user;
  const path = current().path;
  const link = (href, text, active) => h('a', { href, 'aria-current': active ? 'page' : null }, text);
  replace(
    document.getElementById('app-header'),
    h('button', { type: 'button', class: 'skip-link', onclick: () => (main.querySelector('#page-title') ?? main).focus() }, t('nav.skip')),
    h('div', { class: 'brand' }, h('span', { class: 'brand-name' }, t('app.name')), h('span', { class: 'brand-sub' }, t('app.subtitle'))),
    user
      ? h('nav', { 'aria-label': t('nav.main') },
          link('#/cases', t('nav.cases'), path === '/cases'),
          can('case.create') ? link('#/cases/new', t('nav.newCase'), path === '/cases/new') : null,
          can('workqueue.read') ? workqueueNavLink(path === '/workqueue') : null,
          can('report.read') ? link('#/dashboard', t('nav.dashboard'), path === '/dashboard') : null,
          can('project.read') ? projectsNavLink(path.startsWith('/projects')) : null)
      : null,
    h('div', { class: 'header-tools' },
      user ? h('span', { class: 'who' }, t(`role.${user.role}`), user.office ? ` · ${user.office}` : '') : null,
      languageSwitch(),
      user ? h('button', { type: 'button', class: 'on-dark', onclick: onLogout }, t('nav.logout')) : null),
  );
}

function languageSwitch() {
  const select = h(
    'select',
    { id: 'lang-switch', 'aria-label': t('nav.language') },
    LANGUAGES.map((l) => h('option', { value: l, lang: l, selected: l === currentLang() }, t(`lang.${l}`))),
  );
  select.addEventListener('change', async () => {
    await setLang(select.value);
    await render();
    document.getElementById('lang-switch')?.focus();
  });
  return h('label', { class: 'lang' }, h('span', { class: 'visually-hidden' }, t('nav.language')), select);
}

async function onLogout() {
  await logout().catch(() => undefined);
  afterLogin = '#/cases';
  announceNext(t('login.loggedOut'));
  navigate('#/login');
}

function notFoundView() {
  return { title: t('error.pageNotFound'), node: h('section', {}, h('h1', { id: 'page-title', tabindex: '-1' }, t('error.pageNotFound')), h('p', { class: 'hint' }, h('a', { href: '#/cases' }, t('nav.cases')))) };
}

function forbiddenView() {
  return { title: t('error.forbiddenPage'), node: h('section', {}, h('h1', { id: 'page-title', tabindex: '-1' }, t('error.forbiddenPage')), h('p', { class: 'hint' }, t('error.forbiddenHint'))) };
}

function errorView(err) {
  const detail = err?.problem?.detail;
  return {
    title: t('error.unexpected'),
    node: h('section', {},
      h('h1', { id: 'page-title', tabindex: '-1' }, err?.status === 0 ? t('error.offline') : t('error.unexpected')),
      detail ? h('p', {}, detail) : null,
      h('p', { class: 'hint' }, t('error.retryHint'))),
  };
}

setUnauthorizedHandler(() => {
  if (!session()) return;
  sessionExpired = true;
  afterLogin = location.hash || '#/cases';
  forget();
  navigate('#/login');
});

async function start() {
  await setLang(preferredLang());
  await Promise.all([loadSchema(), restore()]);
  startRouter(render);
}

start();
