// The household part of the new-case form: the principal applicant and any number of dependants,
// added and removed with buttons. Dependants are renumbered after a removal so paths match the server's.
import { announce, h } from '../dom.js';
import { inputField, selectField, valueOf } from '../fields.js';
import { label, t } from '../i18n.js';
import { EARLIEST_BIRTH, MAX_DEPENDANTS, NAME_MAX, today } from '../case-rules.js';

function personFields(prefix, sexes) {
  return [
    inputField({ path: `${prefix}.givenName`, label: t('field.givenName'), required: true, attrs: { maxlength: NAME_MAX, autocomplete: 'off' } }),
    inputField({ path: `${prefix}.familyName`, label: t('field.familyName'), required: true, attrs: { maxlength: NAME_MAX, autocomplete: 'off' } }),
    inputField({ path: `${prefix}.dateOfBirth`, label: t('field.dateOfBirth'), type: 'date', required: true, attrs: { min: EARLIEST_BIRTH, max: today() } }),
    selectField({ path: `${prefix}.sex`, label: t('field.sex'), placeholder: t('form.notStated'), options: sexes.map((s) => ({ value: s, label: label('enum.sex', s) })) }),
  ];
}

export function householdSection({ sexes, relationships }) {
  const list = h('div', { class: 'dependants' });
  const add = h('button', { type: 'button', class: 'secondary' }, t('new.addDependant'));
  const principal = h('fieldset', { class: 'group' }, h('legend', {}, t('new.principal')), h('div', { class: 'grid' }, personFields('principal', sexes)));

  function renumber() {
    [...list.children].forEach((fs, i) => {
      fs.querySelector('legend').textContent = t('new.dependantN', { n: i + 1 });
      fs.querySelector('button.remove').textContent = t('new.removeDependantN', { n: i + 1 });
      for (const el of fs.querySelectorAll('[data-path]')) {
        el.dataset.path = el.dataset.path.replace(/^dependants\.\d+\./, `dependants.${i}.`);
        el.name = el.dataset.path;
      }
    });
    add.disabled = list.children.length >= MAX_DEPENDANTS;
  }

  function addDependant() {
    const i = list.children.length;
    const fs = h(
      'fieldset',
      { class: 'group dependant' },
      h('legend', {}),
      h(
        'div',
        { class: 'grid' },
        personFields(`dependants.${i}`, sexes),
        selectField({
          path: `dependants.${i}.relationship`,
          label: t('field.relationship'),
          required: true,
          placeholder: t('form.choose'),
          options: relationships.map((r) => ({ value: r, label: label('enum.relationship', r) })),
        }),
      ),
      h('button', { type: 'button', class: 'link remove', onclick: () => removeDependant(fs) }),
    );
    list.append(fs);
    renumber();
    fs.querySelector('input').focus();
    announce(t('new.dependantAdded', { n: i + 1 }));
  }

  function removeDependant(fs) {
    const i = [...list.children].indexOf(fs);
    fs.remove();
    renumber();
    // Keep keyboard users in place: the previous dependant, or the add button when none is left.
    const target = list.children[Math.max(0, i - 1)]?.querySelector('input') ?? add;
    target.focus();
    announce(t('new.dependantRemoved', { n: i + 1 }));
  }

  add.addEventListener('click', addDependant);

  return {
    node: h(
      'div',
      {},
      principal,
      h('h3', { class: 'subhead' }, t('new.dependants')),
      h('p', { class: 'field-hint' }, t('new.dependantsHint', { n: MAX_DEPENDANTS })),
      list,
      h('div', { class: 'actions' }, add),
    ),
    /** principal and dependants as the API expects them: optional fields left out when empty. */
    read(form) {
      const person = (prefix) => {
        const p = {
          givenName: valueOf(form, `${prefix}.givenName`).trim(),
          familyName: valueOf(form, `${prefix}.familyName`).trim(),
          dateOfBirth: valueOf(form, `${prefix}.dateOfBirth`),
        };
        const sex = valueOf(form, `${prefix}.sex`);
        if (sex) p.sex = sex;
        return p;
      };
      return {
        principal: person('principal'),
        dependants: [...list.children].map((_, i) => ({ ...person(`dependants.${i}`), relationship: valueOf(form, `dependants.${i}.relationship`) })),
      };
    },
  };
}
