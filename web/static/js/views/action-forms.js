// The pending actions of a case as forms, one per action the user's role may take now. Each form is
// built from the action's request schema in the OpenAPI document; a 409 shows why and what is allowed now.
import { api } from '../api.js';
import { h, nextId } from '../dom.js';
import { checkboxField, textareaField } from '../fields.js';
import { clearErrors, constraintErrors, normalizePath, showErrors, showFormAlert } from '../form-errors.js';
import { formatDate, formatMoney, has, label, t } from '../i18n.js';
import { actionSchema } from '../schema.js';
import { payloadField, readPayload } from './action-fields.js';

/** Actions that end or set back the case: tucked away and confirmed with a tick, never one click. */
export const ENDING_ACTIONS = new Set([
  'withdraw', 'close_case', 'refuse_admission', 'reject_plan', 'refuse_laissez_passer',
  'record_no_show', 'record_absconding', 'reject_tranche', 'stop_assistance',
]);

/** Facts from the case that the person deciding needs to see beside the form. */
const CONTEXT = {
  submit_plan: (c) => t('context.planBudget', { amount: formatMoney(c.entitlement?.totals?.inKind) }),
  approve_plan: (c) => c.plan && t('context.plan', { kind: label('enum.kind', c.plan.kind), amount: formatMoney(c.plan.amount) }),
  reject_plan: (c) => c.plan && t('context.plan', { kind: label('enum.kind', c.plan.kind), amount: formatMoney(c.plan.amount) }),
  book_travel: (c) => c.travelDocument?.validUntil && t('context.documentValid', { date: formatDate(c.travelDocument.validUntil) }),
  confirm_departure: (c) => c.booking && t('context.booking', { date: formatDate(c.booking.departureDate), expires: formatDate(c.booking.expiresAt) }),
};

export function actionForm(c, action, onDone) {
  const { payload, reason } = actionSchema(action);
  const required = new Set(payload.required ?? []);
  const headingId = nextId('action');
  const ending = ENDING_ACTIONS.has(action);
  const context = CONTEXT[action]?.(c);
  const submit = h('button', { type: 'submit', class: ending ? 'danger' : 'primary' }, label('action', action));
  const form = h(
    'form',
    { class: `action-form${ending ? ' ending' : ''}`, novalidate: true, 'aria-labelledby': headingId, dataset: { action } },
    h('h3', { id: headingId }, label('action', action)),
    has(`actionHint.${action}`) ? h('p', { class: 'field-hint' }, t(`actionHint.${action}`)) : null,
    context ? h('p', { class: 'context' }, context) : null,
    Object.entries(payload.properties ?? {}).map(([name, s]) => payloadField(c, name, s, required.has(name))),
    textareaField({ path: 'reason', label: t('field.reason'), maxLength: reason.maxLength ?? 1000, rows: 2, hint: t('fieldHint.reason') }),
    ending ? checkboxField({ path: 'confirm', label: t('action.confirmEnding', { action: label('action', action) }) }) : null,
    h('div', { class: 'actions' }, submit),
  );
  if (ending) form.querySelector('[data-path="confirm"]').required = true;

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const errors = constraintErrors(form);
    if (errors.length) return showErrors(form, errors);
    clearErrors(form);
    const body = { payload: readPayload(form, payload) };
    const why = form.querySelector('[data-path="reason"]').value.trim();
    if (why) body.reason = why;
    submit.disabled = true;
    try {
      const updated = await api('POST', `/api/v1/cases/${encodeURIComponent(c.caseId)}/actions/${action}`, { body });
      onDone(updated, action);
    } catch (err) {
      showActionProblem(form, err);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function showActionProblem(form, err) {
  const p = err.problem ?? {};
  const detail = p.detail ? h('p', {}, p.detail) : null;
  if (err.status === 409) {
    const allowed = (p.allowedActions ?? []).map((a) => label('action', a));
    return showFormAlert(
      form,
      t('action.conflict'),
      detail,
      h('p', {}, allowed.length ? t('action.allowedNow', { list: allowed.join(', ') }) : t('action.noneAllowed')),
      h('p', {}, t('action.reloadHint')),
    );
  }
  if (err.status === 422 && Array.isArray(p.errors) && p.errors.length) {
    const errors = p.errors.map((e) => ({ path: normalizePath(e.path, ['body.payload.', 'body.']), message: e.message }));
    return showErrors(form, errors, { title: t('form.serverProblem') });
  }
  const title = { 0: t('error.offline'), 403: t('action.forbidden'), 404: t('error.notFound'), 422: t('form.serverProblem') }[err.status] ?? t('error.unexpected');
  showFormAlert(form, title, detail);
}
