// Hash routes (#/cases/abc): the server serves one static page, and the back button works.

const routes = [];
let onRender = () => undefined;

/** route('/cases/:id', view): the view gets the params and the query. */
export function route(pattern, view) {
  const names = [];
  const re = new RegExp(`^${pattern.replace(/:(\w+)/g, (_, n) => (names.push(n), '([^/]+)'))}$`);
  routes.push({ re, names, view });
}

export function current() {
  const raw = location.hash.replace(/^#/, '') || '/cases';
  const [path, search = ''] = raw.split('?');
  for (const r of routes) {
    const m = r.re.exec(path);
    if (m) {
      const params = Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
      return { path, view: r.view, params, query: new URLSearchParams(search) };
    }
  }
  return { path, view: undefined, params: {}, query: new URLSearchParams(search) };
}

export function navigate(hash) {
  if (location.hash === hash) onRender();
  else location.hash = hash;
}

export function startRouter(render) {
  onRender = render;
  window.addEventListener('hashchange', render);
  render();
}

export function caseHref(caseId) {
  return `#/cases/${encodeURIComponent(caseId)}`;
}
