// The dashboard for supervisors and programme managers: the report figures (GET /api/v1/reports/*) as charts,
// each with its data table and CSV/JSON downloads. The figures arrive already aggregated with small cells
// suppressed, so what is on screen is exactly what may be exported.
import { api, query } from './api.js';
import { h } from './dom.js';
import { countryName, countryOptions } from './countries.js';
import { inputField, selectField } from './fields.js';
import { label, t, tn } from './i18n.js';
import { navigate } from './router.js';
import { loadProgrammes, programmeName } from './data.js';
import { barChart, legend } from './dashboard-charts.js';
import { FIGURES } from './dashboard-figures.js';

const FILTERS = ['from', 'to', 'programme', 'country', 'office'];

export async function dashboardView({ query: q }) {
  const filters = Object.fromEntries(FILTERS.map((f) => [f, q.get(f) ?? '']));
  const [programmes, ...reports] = await Promise.all([
    loadProgrammes(),
    ...FIGURES.map((f) => api('GET', `/api/v1/reports/${f.name}${query(filters)}`)),
  ]);
  const names = {
    programme: (id) => programmeName(programmes, id),
    country: countryName,
    stage: (s) => label('stage', s),
  };
  return {
    title: t('dash.title'),
    node: h(
      'section',
      {},
      h('div', { class: 'page-head' }, h('h1', { id: 'page-title', tabindex: '-1' }, t('dash.title'))),
      h('p', { class: 'hint' }, t('dash.hint', { n: reports[0]?.minimumCellSize ?? 5 })),
      filterForm(filters, programmes),
      h('div', { class: 'charts' }, FIGURES.map((f, i) => figureCard(f, reports[i], filters, names))),
    ),
  };
}

function figureCard(figure, report, filters, names) {
  const headingId = `fig-${figure.name}`;
  const chart = figure.chart(report.rows, names);
  const hidden = report.rows.some((r) => r.suppressed);
  const download = (format) => h('a', { href: `/api/v1/reports/${figure.name}${query({ ...filters, format })}`, download: '' }, t(`dash.download.${format}`));
  return h(
    'section',
    { class: 'card chart-card', 'aria-labelledby': headingId, dataset: { figure: figure.name } },
    h('h2', { id: headingId }, t(`dash.fig.${figure.name}`)),
    h('p', { class: 'field-hint' }, t(`dash.figHint.${figure.name}`)),
    chart.categories.length === 0
      ? h('p', { class: 'empty' }, t('dash.empty'))
      : [
          barChart({
            title: t(`dash.fig.${figure.name}`),
            description: t('dash.chartDesc', { n: chart.categories.length }),
            hiddenLabel: t('dash.hiddenShort'),
            ...chart,
          }),
          chart.series.length > 1 ? legend(chart.series) : null,
        ],
    hidden ? h('p', { class: 'chart-note' }, t('dash.suppressedNote', { n: report.minimumCellSize })) : null,
    dataTable(report, names),
    h('p', { class: 'downloads' }, download('csv'), ' · ', download('json')),
  );
}

/** Every value of the figure, as the API sent it: the accessible alternative to the chart. */
function dataTable(report, names) {
  const dims = report.dimensions;
  const shown = (dim, v) => (names[dim] ? names[dim](v) : v);
  return h(
    'details',
    { class: 'chart-data' },
    h('summary', {}, tn('dash.table', report.rows.length)),
    h('div', { class: 'table-wrap' },
      h('table', {},
        h('thead', {}, h('tr', {}, [...dims.map((d) => t(`dash.dim.${d}`)), t('dash.dim.measure'), t('dash.dim.value')].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, report.rows.map((r) =>
          h('tr', {},
            dims.map((d) => h('td', {}, shown(d, r[d]))),
            h('td', {}, t(`dash.measure.${r.measure}`)),
            h('td', { class: 'num' }, r.suppressed ? t('dash.hidden') : String(r.value))))))),
  );
}

function filterForm(filters, programmes) {
  const any = t('filter.any');
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': t('dash.filters') },
    inputField({ path: 'from', label: t('dash.from'), type: 'date', value: filters.from }),
    inputField({ path: 'to', label: t('dash.to'), type: 'date', value: filters.to }),
    selectField({ path: 'programme', label: t('filter.programme'), placeholder: any, value: filters.programme, options: programmes.map((p) => ({ value: p.id, label: p.name })) }),
    selectField({ path: 'country', label: t('filter.country'), placeholder: any, value: filters.country, options: countryOptions() }),
    inputField({ path: 'office', label: t('filter.office'), value: filters.office, attrs: { maxlength: 64 } }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('filter.apply')), h('button', { type: 'reset', class: 'secondary' }, t('filter.reset'))),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    navigate(`#/dashboard${query(Object.fromEntries(FILTERS.map((f) => [f, form.elements[f].value.trim()])))}`);
  });
  form.addEventListener('reset', (ev) => {
    ev.preventDefault();
    navigate('#/dashboard');
  });
  return form;
}
