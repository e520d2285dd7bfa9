// The new-case form: programme and return, the household, the person's situation. Checked in the browser
// first (the HTML constraints plus case-rules.js), then by the server, whose 422 errors land on the same fields.
import { api } from '../api.js';
import { announce, announceNext, h } from '../dom.js';
import { countryOptions, nationalityOptions } from '../countries.js';
import { checkboxField, choiceGroup, inputField, selectField, textareaField, valueOf } from '../fields.js';
import { clearErrors, constraintErrors, normalizePath, showErrors, showFormAlert } from '../form-errors.js';
import { label, t } from '../i18n.js';
import { caseHref, navigate } from '../router.js';
import { caseInputSchema, enumOf } from '../schema.js';
import { session } from '../session.js';
import { loadProgrammes } from '../data.js';
import { caseInputErrors, NOTES_MAX } from '../case-rules.js';
import { householdSection } from './household.js';

const enumOptions = (schema, name, kind) => enumOf(schema, name).map((v) => ({ value: v, label: label(kind, v) }));

export async function caseNewView() {
  const programmes = await loadProgrammes();
  const schema = caseInputSchema();
  const person = schema.properties?.principal ?? {};
  const dependant = schema.properties?.dependants?.items ?? {};
  const household = householdSection({ sexes: enumOf(person, 'sex'), relationships: enumOf(dependant, 'relationship') });
  const user = session().user;
  // Caseworkers open cases only for their own office (the server enforces it too).
  const ownOfficeOnly = user.role === 'caseworker' && Boolean(user.office);

  const form = h(
    'form',
    { class: 'case-form', novalidate: true, 'aria-labelledby': 'page-title' },
    h(
      'fieldset',
      { class: 'group' },
      h('legend', {}, t('new.return')),
      h(
        'div',
        { class: 'grid' },
        selectField({
          path: 'programmeId',
          label: t('field.programmeId'),
          required: true,
          placeholder: t('form.choose'),
          options: programmes.map((p) => ({ value: p.id, label: t('new.programmeOption', { name: p.name, n: p.placesLeft }) })),
        }),
        selectField({ path: 'countryOfReturn', label: t('field.countryOfReturn'), required: true, placeholder: t('form.choose'), options: countryOptions() }),
        selectField({ path: 'nationality', label: t('field.nationality'), required: true, placeholder: t('form.choose'), options: nationalityOptions() }),
        inputField({ path: 'office', label: t('field.office'), required: true, value: user.office ?? '', attrs: { maxlength: 100, readonly: ownOfficeOnly } }),
        selectField({ path: 'referringBody', label: t('field.referringBody'), required: true, placeholder: t('form.choose'), options: enumOptions(schema, 'referringBody', 'enum.referringBody') }),
      ),
    ),
    h('fieldset', { class: 'group' }, h('legend', {}, t('new.household')), household.node),
    h(
      'fieldset',
      { class: 'group' },
      h('legend', {}, t('new.situation')),
      h(
        'div',
        { class: 'grid' },
        selectField({ path: 'legalStatus', label: t('field.legalStatus'), required: true, placeholder: t('form.choose'), options: enumOptions(schema, 'legalStatus', 'enum.legalStatus') }),
        selectField({
          path: 'appliedBeforeAsylumDecision',
          label: t('field.appliedBeforeAsylumDecision'),
          placeholder: t('form.notKnown'),
          hint: t('new.appliedBeforeHint'),
          options: [{ value: 'true', label: t('form.yes') }, { value: 'false', label: t('form.no') }],
        }),
      ),
      choiceGroup({ path: 'vulnerabilities', legend: t('field.vulnerabilities'), multiple: true, hint: t('new.vulnerabilitiesHint'), options: enumOptions(schema, 'vulnerabilities', 'enum.vulnerability') }),
      checkboxField({ path: 'medicalNeed', label: t('field.medicalNeed'), hint: t('new.medicalHint') }),
      textareaField({ path: 'notes', label: t('field.notes'), maxLength: NOTES_MAX, hint: t('new.notesHint') }),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('new.submit')), h('a', { href: '#/cases', class: 'button secondary' }, t('form.cancel'))),
  );

  // One Idempotency-Key per distinct body: a double click or a retry after a timeout opens one case,
  // while a corrected form is a new request.
  let sent = { json: '', key: '' };

  function read() {
    const applied = valueOf(form, 'appliedBeforeAsylumDecision');
    const notes = valueOf(form, 'notes').trim();
    return {
      programmeId: valueOf(form, 'programmeId'),
      countryOfReturn: valueOf(form, 'countryOfReturn'),
      nationality: valueOf(form, 'nationality'),
      office: valueOf(form, 'office').trim(),
      referringBody: valueOf(form, 'referringBody'),
      ...household.read(form),
      vulnerabilities: valueOf(form, 'vulnerabilities'),
      medicalNeed: valueOf(form, 'medicalNeed'),
      legalStatus: valueOf(form, 'legalStatus'),
      ...(applied ? { appliedBeforeAsylumDecision: applied === 'true' } : {}),
      ...(notes ? { notes } : {}),
    };
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = read();
    // The specific rules first: "cannot be in the future" says more than the browser's "at most <date>".
    const errors = dedupe([...caseInputErrors(body), ...constraintErrors(form)]);
    if (errors.length) return showErrors(form, errors);
    clearErrors(form);
    const json = JSON.stringify(body);
    if (json !== sent.json) sent = { json, key: window.crypto.randomUUID() };
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    announce(t('new.sending'));
    try {
      const created = await api('POST', '/api/v1/cases', { body, headers: { 'idempotency-key': sent.key } });
      announceNext(t('new.created'), 'success');
      navigate(caseHref(created.caseId));
    } catch (err) {
      announce('');
      showServerProblem(form, err);
    } finally {
      button.disabled = false;
    }
  });

  return {
    title: t('new.title'),
    node: h(
      'section',
      {},
      h('h1', { id: 'page-title', tabindex: '-1' }, t('new.title')),
      h('p', { class: 'hint' }, t('new.hint')),
      form,
    ),
  };
}

function dedupe(errors) {
  const seen = new Set();
  return errors.filter((e) => (seen.has(e.path) ? false : (seen.add(e.path), true)));
}

function showServerProblem(form, err) {
  const p = err.problem ?? {};
  if (err.status === 422 && Array.isArray(p.errors)) {
    return showErrors(form, p.errors.map((e) => ({ path: normalizePath(e.path), message: e.message })), { title: t('form.serverProblem') });
  }
  if (err.status === 409 && p.duplicateOf) {
    return showFormAlert(form, t('new.duplicate'), h('p', {}, p.detail ?? ''), h('p', {}, h('a', { href: caseHref(p.duplicateOf) }, t('new.openDuplicate'))));
  }
  showFormAlert(form, err.status === 0 ? t('error.offline') : t('error.unexpected'), p.detail ? h('p', {}, p.detail) : null);
}
