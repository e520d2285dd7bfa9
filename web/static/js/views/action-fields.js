// One form control per property of an action's payload schema (from the OpenAPI document), and the reverse:
// reading the controls back into a payload. Fields that name something in the case (a tranche, a checkpoint)
// become a choice among what the case holds, so nobody has to type an ID.
import { checkboxField, choiceGroup, inputField, selectField, textareaField, valueOf } from '../fields.js';
import { formatDate, formatMoney, has, label, t } from '../i18n.js';

const DATE_NAME = /(Date|On|Until)$/;
const INSTANT_NAME = /At$/;

/** How a payload property is edited; decided once and used both to build and to read the control. */
export function kindOf(name, s) {
  if (s.type === 'boolean') return 'boolean';
  if (Array.isArray(s.enum)) return 'enum';
  if (s.type === 'integer' || s.type === 'number') return 'number';
  if (name === 'trancheId') return 'tranche';
  if (name === 'checkpoint') return 'checkpoint';
  // The API documents dates as strings checked by refinements, so the field name says which is which.
  if (s.format === 'date' || DATE_NAME.test(name)) return 'date';
  if (s.format === 'date-time' || INSTANT_NAME.test(name)) return 'instant';
  return 'text';
}

export function payloadField(c, name, s, required) {
  const path = name;
  const text = t(`field.${name}`);
  const hint = has(`fieldHint.${name}`) ? t(`fieldHint.${name}`) : undefined;
  switch (kindOf(name, s)) {
    case 'boolean':
      return required
        ? choiceGroup({ path, legend: text, required, hint, options: [{ value: 'true', label: t('form.yes') }, { value: 'false', label: t('form.no') }] })
        : checkboxField({ path, label: text, hint });
    case 'enum':
      return selectField({ path, label: text, required, hint, placeholder: required ? t('form.choose') : t('form.none'), options: s.enum.map((v) => ({ value: v, label: label(`enum.${name}`, v) })) });
    case 'number':
      return inputField({ path, label: text, type: 'number', required, hint, attrs: { min: s.minimum, max: s.maximum, step: s.type === 'integer' ? 1 : 'any', inputmode: 'numeric' } });
    case 'tranche':
      return selectField({
        path, label: text, required, hint, placeholder: t('form.choose'),
        options: (c.tranches ?? []).filter((x) => x.status === 'submitted').map((x) => ({ value: x.id, label: `${x.id} · ${formatMoney(x.amount)}` })),
      });
    case 'checkpoint':
      return selectField({
        path, label: text, required, hint, placeholder: t('form.choose'),
        options: (c.checkpoints ?? []).filter((x) => !x.reportedAt).map((x) => ({ value: x.offset, label: `${x.offset} · ${formatDate(x.dueAt)}` })),
      });
    case 'date':
      return inputField({ path, label: text, type: 'date', required, hint });
    case 'instant':
      return inputField({ path, label: text, type: 'datetime-local', required, hint: hint ?? t('fieldHint.instant') });
    default:
      return (s.maxLength ?? 0) > 200
        ? textareaField({ path, label: text, required, hint, maxLength: s.maxLength })
        : inputField({ path, label: text, required, hint, attrs: { minlength: s.minLength, maxlength: s.maxLength } });
  }
}

/** The payload as the API wants it: empty optional fields left out, booleans and numbers typed. */
export function readPayload(form, schema) {
  const payload = {};
  for (const [name, s] of Object.entries(schema.properties ?? {})) {
    const raw = valueOf(form, name);
    // An unticked optional checkbox is "not stated"; a "no" radio answer arrives as the string 'false'.
    if (raw === undefined || raw === '' || raw === false) continue;
    const kind = kindOf(name, s);
    if (kind === 'boolean') payload[name] = raw === true || raw === 'true';
    else if (kind === 'instant') payload[name] = new Date(raw).toISOString();
    else payload[name] = typeof raw === 'string' && kind === 'text' ? raw.trim() : raw;
  }
  return payload;
}
