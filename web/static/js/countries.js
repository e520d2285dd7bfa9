// Country choices without a shipped list: every two-letter code the browser can name is offered, named in
// the current language. The server keeps the authoritative ISO 3166 list and answers 422 for anything else.
import { currentLang, t } from './i18n.js';

/**
 * Codes the browser names that ISO 3166 does not assign to a country: groupings (EU, UN), pseudo-regions,
 * and exceptionally reserved codes (AC, CP, ...). Kosovo (XK) is user-assigned, so the API refuses it too.
 */
const NOT_COUNTRIES = new Set(['AC', 'CP', 'CQ', 'DG', 'EA', 'EU', 'EZ', 'IC', 'QO', 'TA', 'UN', 'XA', 'XB', 'XK', 'ZZ']);
const A = 'A'.charCodeAt(0);

/** [{ value: 'SN', label: 'Senegal (SN)' }] sorted by name in the current language. */
export function countryOptions() {
  const names = new Intl.DisplayNames([currentLang()], { type: 'region', fallback: 'none' });
  const out = [];
  for (let i = 0; i < 26; i += 1) {
    for (let j = 0; j < 26; j += 1) {
      const code = String.fromCharCode(A + i, A + j);
      if (NOT_COUNTRIES.has(code)) continue;
      const name = names.of(code);
      if (name && name !== code) out.push({ value: code, label: `${name} (${code})` });
    }
  }
  return out.sort((a, b) => a.label.localeCompare(b.label, currentLang()));
}

/** Nationalities: the countries plus XX, which the API uses for stateless or unknown. */
export function nationalityOptions() {
  return [{ value: 'XX', label: `${t('country.stateless')} (XX)` }, ...countryOptions()];
}

export function countryName(code) {
  if (!code) return '';
  if (code === 'XX') return t('country.stateless');
  try {
    return new Intl.DisplayNames([currentLang()], { type: 'region', fallback: 'code' }).of(code) ?? code;
  } catch {
    return code;
  }
}
