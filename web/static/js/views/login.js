// The login page: email and password, then on to the page the user asked for.
import { h } from '../dom.js';
import { inputField } from '../fields.js';
import { clearErrors, constraintErrors, normalizePath, showErrors, showFormAlert } from '../form-errors.js';
import { t } from '../i18n.js';
import { login } from '../session.js';

export function loginView({ next, onLoggedIn, expired }) {
  const form = h(
    'form',
    { class: 'card narrow', novalidate: true, 'aria-labelledby': 'page-title' },
    inputField({ path: 'email', label: t('login.email'), type: 'email', required: true, attrs: { autocomplete: 'username', maxlength: 254 } }),
    inputField({ path: 'password', label: t('login.password'), type: 'password', required: true, attrs: { autocomplete: 'current-password', maxlength: 200 } }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('login.submit'))),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const errors = constraintErrors(form);
    if (errors.length) return showErrors(form, errors);
    clearErrors(form);
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      await login(form.elements.email.value.trim(), form.elements.password.value);
      onLoggedIn(next);
    } catch (err) {
      if (err.status === 422 && Array.isArray(err.problem.errors)) {
        showErrors(form, err.problem.errors.map((e) => ({ path: normalizePath(e.path), message: e.message })), { title: t('form.serverProblem') });
      } else {
        showFormAlert(form, { 0: t('error.offline'), 401: t('login.wrong') }[err.status] ?? t('error.unexpected'));
      }
    } finally {
      button.disabled = false;
    }
  });
  return {
    title: t('login.title'),
    node: h(
      'section',
      {},
      h('h1', { id: 'page-title', tabindex: '-1' }, t('login.title')),
      expired ? h('p', { class: 'notice', role: 'status' }, t('login.expired')) : null,
      h('p', { class: 'hint' }, t('login.hint')),
      form,
    ),
  };
}
