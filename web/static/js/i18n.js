// Italian and English. The language is remembered in localStorage, else taken from the browser;
// every missing Italian entry falls back to English, and a missing English one to a readable form of the key.

export const LANGUAGES = ['it', 'en'];
const STORAGE_KEY = 'avrr.lang';
const dictionaries = {};
let lang = 'en';

export function currentLang() {
  return lang;
}

export function preferredLang() {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (LANGUAGES.includes(saved)) return saved;
  return (window.navigator.language ?? 'en').toLowerCase().startsWith('it') ? 'it' : 'en';
}

export async function setLang(next) {
  await Promise.all(['en', next].map(load));
  lang = next;
  localStorage.setItem(STORAGE_KEY, next);
  // Screen readers pick their pronunciation from this attribute.
  document.documentElement.lang = next;
}

async function load(l) {
  if (dictionaries[l]) return;
  const res = await fetch(`/i18n/${l}.json`, { credentials: 'same-origin' });
  dictionaries[l] = res.ok ? await res.json() : {};
}

/** t('list.more', { n: 3 }) → the text with {n} filled in. */
export function t(key, vars = {}) {
  const text = dictionaries[lang]?.[key] ?? dictionaries.en?.[key] ?? humanize(key.split('.').pop());
  return text.replace(/\{(\w+)\}/g, (_, name) => (vars[name] === undefined ? `{${name}}` : String(vars[name])));
}

/** Plural-aware: tn('list.count', n) uses list.count.one or list.count.other, by the language's plural rules. */
export function tn(key, n, vars = {}) {
  const form = new Intl.PluralRules(lang).select(n);
  return t(has(`${key}.${form}`) ? `${key}.${form}` : `${key}.other`, { n, ...vars });
}

export function has(key) {
  return dictionaries[lang]?.[key] !== undefined || dictionaries.en?.[key] !== undefined;
}

/** Label of a vocabulary value: stage, action, enum member, field name. */
export function label(kind, value) {
  return t(`${kind}.${value}`);
}

function humanize(name) {
  const s = String(name).replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The browser's own regional format when it speaks the chosen language (en-GB dates for en-GB), else the language. */
function locale() {
  const nav = window.navigator.language ?? lang;
  return nav.toLowerCase().startsWith(`${lang}-`) ? nav : lang;
}

export function formatDate(iso) {
  if (!iso) return '';
  // A calendar date (YYYY-MM-DD) has no time zone: format it as UTC so it never shifts by a day.
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(iso);
  const d = new Date(dateOnly ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), dateOnly ? { dateStyle: 'medium', timeZone: 'UTC' } : { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

export function formatMoney(amount, currency = 'EUR') {
  return new Intl.NumberFormat(locale(), { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount ?? 0);
}
