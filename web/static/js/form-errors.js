// Showing what is wrong, next to the field it is about and in a summary at the top of the form that links
// to each field. The same code shows the browser's checks and the server's 422 `errors`.
import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { cssEscape } from './fields.js';

/** body.dependants.0.dateOfBirth or dependants[0].dateOfBirth → dependants.0.dateOfBirth */
export function normalizePath(path, strip = ['body.']) {
  let p = String(path ?? '').replace(/\[(\d+)\]/g, '.$1');
  for (const prefix of strip) if (p.startsWith(prefix)) p = p.slice(prefix.length);
  return p;
}

export function clearErrors(form) {
  for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const el of form.querySelectorAll('.has-error')) el.classList.remove('has-error');
  form.querySelector('.error-summary')?.remove();
}

/**
 * errors: [{ path, message }] with normalised paths. Errors without a matching field still appear in
 * the summary. The summary takes focus, so keyboard and screen-reader users land on it.
 */
export function showErrors(form, errors, { title = t('form.problem'), extra } = {}) {
  clearErrors(form);
  const items = [];
  // In the order of the form, so the summary reads top to bottom like the page.
  const located = errors.map((e) => ({ e, control: findControl(form, e.path) }));
  located.sort((a, b) => formOrder(a.control, b.control));
  for (const { e, control } of located) {
    const wrapper = control?.closest('.field');
    if (wrapper) {
      wrapper.classList.add('has-error');
      const slot = wrapper.querySelector('.field-error');
      slot.textContent = slot.textContent ? `${slot.textContent}; ${e.message}` : e.message;
      for (const c of wrapper.querySelectorAll('input, select, textarea')) c.setAttribute('aria-invalid', 'true');
    }
    const name = wrapper ? fieldName(wrapper) : '';
    const text = name ? `${name}: ${e.message}` : e.message;
    items.push(
      h('li', {}, control ? h('a', { href: `#${control.id}`, onclick: (ev) => (ev.preventDefault(), control.focus()) }, text) : text),
    );
  }
  const summary = h(
    'div',
    { class: 'error-summary', role: 'alert', tabindex: '-1' },
    h('h2', {}, title),
    items.length ? h('ul', {}, items) : null,
    extra ?? null,
  );
  form.prepend(summary);
  summary.focus();
}

/** A form-level message (409, network) without field errors. */
export function showFormAlert(form, title, ...content) {
  clearErrors(form);
  const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1' });
  replace(summary, h('h2', {}, title), ...content);
  form.prepend(summary);
  summary.focus();
}

/** Controls in document order; errors with no control go last. */
function formOrder(a, b) {
  if (a === b) return 0;
  if (!a) return 1;
  if (!b) return -1;
  return a.compareDocumentPosition(b) & window.Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
}

function findControl(form, path) {
  if (!path) return undefined;
  return form.querySelector(`[data-path="${cssEscape(path)}"]`) ?? undefined;
}

/** The field's label, prefixed by its sub-group (e.g. "Dependant 2") where several groups repeat the same fields. */
function fieldName(wrapper) {
  const text = (el) => (el ? [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim() : '');
  const own = text(wrapper.querySelector(':scope > legend, :scope > label'));
  const group = text(wrapper.closest('fieldset.group fieldset.group')?.querySelector(':scope > legend'));
  return group && own ? `${group} · ${own}` : own;
}

/** The browser's own constraint checks (required, min, max, maxlength, step), as messages in our language. */
export function constraintErrors(form) {
  const seen = new Set();
  const errors = [];
  for (const el of form.querySelectorAll('[data-path]')) {
    const path = el.dataset.path;
    if (seen.has(path) || el.validity.valid) continue;
    seen.add(path);
    errors.push({ path, message: messageFor(el) });
  }
  return errors;
}

function messageFor(el) {
  const v = el.validity;
  if (v.valueMissing) return t('error.required');
  if (v.badInput) return t(el.type === 'number' ? 'error.number' : 'error.badInput');
  if (v.rangeUnderflow) return t('error.min', { n: el.min });
  if (v.rangeOverflow) return t('error.max', { n: el.max });
  if (v.stepMismatch) return t('error.integer');
  if (v.tooShort) return t('error.tooShort', { n: el.minLength });
  if (v.tooLong) return t('error.tooLong', { n: el.maxLength });
  if (v.patternMismatch || v.typeMismatch) return t('error.format');
  return el.validationMessage;
}
