// Building DOM without innerHTML: every text goes in as a text node, so case data can never become markup.

/**
 * h('p', { class: 'hint' }, 'text', child) → element. Attributes: `on*` become listeners, booleans toggle,
 * null/undefined/false are skipped; children may be strings, nodes, arrays or null.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

export function append(parent, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    parent.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return parent;
}

/** Replaces everything inside `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

let uid = 0;
/** A page-unique id for label/for and aria-describedby pairs. */
export function nextId(prefix = 'f') {
  uid += 1;
  return `${prefix}-${uid}`;
}

/** Polite announcement for screen readers, also shown in the status bar under the header. */
export function announce(message, kind = 'info') {
  const status = document.getElementById('status');
  if (!status) return;
  status.dataset.kind = kind;
  status.textContent = message;
}

let pending;

/** A message for the next page (e.g. "case opened" before moving to the case): shown once it has rendered. */
export function announceNext(message, kind = 'info') {
  pending = { message, kind };
}

/** Called after each page change: old messages go, a message meant for this page appears. */
export function flushAnnouncement() {
  const next = pending;
  pending = undefined;
  announce(next?.message ?? '', next?.kind);
}
