// Labelled form controls. Each control carries data-path (its JSON path, as the server names it in a 422),
// and its wrapper holds a hint and an error slot linked by aria-describedby, so errors are read out with it.
import { h, nextId } from './dom.js';
import { t } from './i18n.js';

function wrap({ id, label, hint, required, control, kind = 'field' }) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = `${id}-error`;
  control.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
  return h(
    'div',
    { class: kind },
    h('label', { for: id }, label, required ? h('span', { class: 'req' }, ` ${t('form.required')}`) : null),
    hint ? h('p', { class: 'field-hint', id: hintId }, hint) : null,
    h('p', { class: 'field-error', id: errorId }),
    control,
  );
}

/** <input>: type text, date, number, email, password, datetime-local; extra attributes via attrs. */
export function inputField({ path, label, type = 'text', required = false, value, hint, attrs = {} }) {
  const id = nextId();
  const control = h('input', { id, name: path, type, required, value, dataset: { path }, ...attrs });
  return wrap({ id, label, hint, required, control });
}

export function textareaField({ path, label, required = false, hint, maxLength, rows = 3 }) {
  const id = nextId();
  const control = h('textarea', { id, name: path, required, maxlength: maxLength, rows, dataset: { path } });
  return wrap({ id, label, hint, required, control });
}

/** options: [{ value, label }]; an empty first option when `placeholder` is given. */
export function selectField({ path, label, options, required = false, value, placeholder, hint, attrs = {} }) {
  const id = nextId();
  const control = h(
    'select',
    { id, name: path, required, dataset: { path }, ...attrs },
    placeholder !== undefined ? h('option', { value: '' }, placeholder) : null,
    options.map((o) => h('option', { value: o.value, selected: o.value === value }, o.label)),
  );
  return wrap({ id, label, hint, required, control });
}

export function checkboxField({ path, label, checked = false, hint }) {
  const id = nextId();
  const hintId = hint ? `${id}-hint` : undefined;
  return h(
    'div',
    { class: 'field field-check' },
    h('input', { id, name: path, type: 'checkbox', checked, dataset: { path }, 'aria-describedby': hintId ?? `${id}-error` }),
    h('label', { for: id }, label),
    hint ? h('p', { class: 'field-hint', id: hintId }, hint) : null,
    h('p', { class: 'field-error', id: `${id}-error` }),
  );
}

/** A fieldset of radio buttons, or of checkboxes when `multiple` (the value is then an array). */
export function choiceGroup({ path, legend, options, required = false, multiple = false, hint }) {
  const name = `${path}-${nextId('g')}`;
  const errorId = `${name}-error`;
  const hintId = hint ? `${name}-hint` : undefined;
  return h(
    'fieldset',
    { class: 'field choice', dataset: { group: path }, 'aria-describedby': [hintId, errorId].filter(Boolean).join(' ') },
    h('legend', {}, legend, required ? h('span', { class: 'req' }, ` ${t('form.required')}`) : null),
    hint ? h('p', { class: 'field-hint', id: hintId }, hint) : null,
    h('p', { class: 'field-error', id: errorId }),
    h(
      'div',
      { class: 'choices' },
      options.map((o) => {
        const id = nextId();
        return h(
          'div',
          { class: 'field-check' },
          h('input', { id, type: multiple ? 'checkbox' : 'radio', name, value: o.value, required: required && !multiple, dataset: { path } }),
          h('label', { for: id }, o.label),
        );
      }),
    ),
  );
}

/** Reads one control's value: numbers as numbers, checkboxes as booleans, groups as value or array. */
export function valueOf(form, path) {
  const controls = [...form.querySelectorAll(`[data-path="${cssEscape(path)}"]`)];
  if (controls.length === 0) return undefined;
  const first = controls[0];
  if (first.type === 'radio') return controls.find((c) => c.checked)?.value;
  if (first.type === 'checkbox' && first.closest('fieldset.choice')) return controls.filter((c) => c.checked).map((c) => c.value);
  if (first.type === 'checkbox') return first.checked;
  if (first.type === 'number') return first.value === '' ? undefined : Number(first.value);
  return first.value;
}

export function cssEscape(s) {
  return window.CSS?.escape ? window.CSS.escape(s) : String(s).replace(/["\\]/g, '\\$&');
}
