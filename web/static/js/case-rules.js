// The new-case rules the browser can check before sending, mirroring the server's CaseInputSchema and
// validateCaseInput (names trimmed and at most 100 characters, birth dates from 1900 and not in the future,
// at most 20 dependants). The server checks again and stays the authority.
import { t } from './i18n.js';

export const NAME_MAX = 100;
export const EARLIEST_BIRTH = '1900-01-01';
export const MAX_DEPENDANTS = 20;
export const NOTES_MAX = 2000;

export function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function isCalendarDate(s) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function personErrors(p, prefix, now) {
  const errors = [];
  for (const f of ['givenName', 'familyName']) {
    const v = (p[f] ?? '').trim();
    if (v === '') errors.push({ path: `${prefix}.${f}`, message: t('error.required') });
    else if (v.length > NAME_MAX) errors.push({ path: `${prefix}.${f}`, message: t('error.tooLong', { n: NAME_MAX }) });
  }
  const dob = p.dateOfBirth ?? '';
  if (dob === '') errors.push({ path: `${prefix}.dateOfBirth`, message: t('error.required') });
  else if (!isCalendarDate(dob)) errors.push({ path: `${prefix}.dateOfBirth`, message: t('error.format') });
  else if (dob < EARLIEST_BIRTH) errors.push({ path: `${prefix}.dateOfBirth`, message: t('error.birthTooEarly') });
  else if (dob > now) errors.push({ path: `${prefix}.dateOfBirth`, message: t('error.birthInFuture') });
  return errors;
}

/** Errors for a new-case body, paths as the server names them (without `body.`). */
export function caseInputErrors(body, now = today()) {
  const errors = [];
  for (const f of ['programmeId', 'countryOfReturn', 'nationality', 'referringBody', 'legalStatus']) {
    if (!body[f]) errors.push({ path: f, message: t('error.required') });
  }
  if (!body.office?.trim()) errors.push({ path: 'office', message: t('error.required') });
  errors.push(...personErrors(body.principal, 'principal', now));
  if (body.dependants.length > MAX_DEPENDANTS) errors.push({ path: 'dependants', message: t('error.tooManyDependants', { n: MAX_DEPENDANTS }) });
  body.dependants.forEach((d, i) => {
    errors.push(...personErrors(d, `dependants.${i}`, now));
    if (!d.relationship) errors.push({ path: `dependants.${i}.relationship`, message: t('error.required') });
  });
  if ((body.notes ?? '').length > NOTES_MAX) errors.push({ path: 'notes', message: t('error.tooLong', { n: NOTES_MAX }) });
  return errors;
}
