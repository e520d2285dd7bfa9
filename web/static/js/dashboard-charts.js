// Horizontal bar charts drawn as SVG, with no library and nothing fetched from elsewhere. One row per category,
// the series side by side or stacked. The SVG is an image with a title and a description; the data table the
// dashboard puts beside it carries every number for screen readers and for copying.

const NS = 'http://www.w3.org/2000/svg';

/** Okabe–Ito hues, darkened where needed: each at least 3:1 against white and told apart with colour-blindness. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#5E3C99', '#8C510A', '#000000'];

// Drawn at about the size a dashboard card shows it, so the text stays readable (CSS sets 14px).
const WIDTH = 560;
const LABEL = 190;
const VALUE = 86;
const BAR = 16;
const LINE = 16;
const GAP = 12;
const AXIS = 24;
/** Characters of a category name per line left of the bars (two lines at most); the full name is in the tooltip and the table. */
const LABEL_CHARS = 24;
let charts = 0;

/** Splits a name into at most two lines at spaces, the second shortened with … if it still does not fit. */
function wrap(name) {
  if (name.length <= LABEL_CHARS) return [name];
  const cut = name.lastIndexOf(' ', LABEL_CHARS);
  const at = cut > 0 ? cut : LABEL_CHARS;
  const rest = name.slice(at).trim();
  return [name.slice(0, at), rest.length > LABEL_CHARS ? `${rest.slice(0, LABEL_CHARS - 1)}…` : rest];
}

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

/** The smallest 1, 2 or 5 × 10^k at or above max / 4, times 4: round ticks whatever the data. */
function niceScale(max) {
  if (!(max > 0)) return { top: 1, step: 1 };
  const raw = max / 4;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw);
  return { top: Math.ceil(max / step) * step, step };
}

/**
 * barChart({ title, description, categories, series: [{ name, values, color? }], stacked, format, hiddenLabel })
 * → <svg>. A null value is a suppressed cell: no bar, and `hiddenLabel` where its number would be.
 */
export function barChart({ title, description, categories, series, stacked = false, format = String, hiddenLabel = '–' }) {
  const colour = (i) => series[i].color ?? PALETTE[i % PALETTE.length];
  const lines = categories.map(wrap);
  const rowHeight = Math.max(stacked ? BAR : BAR * series.length, Math.max(...lines.map((l) => l.length)) * LINE) + GAP;
  const height = categories.length * rowHeight + AXIS + GAP;
  const totals = categories.map((_, c) => series.map((s) => s.values[c] ?? 0));
  const max = Math.max(0, ...totals.map((vs) => (stacked ? vs.reduce((a, v) => a + v, 0) : Math.max(0, ...vs))));
  const { top, step } = niceScale(max);
  const plot = WIDTH - LABEL - VALUE;
  const x = (v) => LABEL + (v / top) * plot;
  charts += 1;
  const titleId = `chart-${charts}`;

  const grid = [];
  for (let v = 0; v <= top + step / 2; v += step) {
    grid.push(
      svg('line', { class: 'grid', x1: x(v), x2: x(v), y1: 0, y2: height - AXIS }),
      svg('text', { class: 'tick', x: x(v), y: height - AXIS + 16, 'text-anchor': 'middle' }, format(v)),
    );
  }

  const rows = categories.map((name, c) => {
    const y0 = c * rowHeight + GAP / 2;
    const bars = [];
    const labels = [];
    let offset = 0;
    series.forEach((s, i) => {
      const v = s.values[c];
      const y = stacked ? y0 : y0 + i * BAR;
      if (v !== null && v !== undefined && v > 0) {
        const from = stacked ? offset : 0;
        bars.push(
          svg('rect', { class: 'bar', x: x(from), y, width: Math.max(1, x(from + v) - x(from)), height: BAR - 2, fill: colour(i) },
            svg('title', {}, `${name} · ${s.name}: ${format(v)}`)),
        );
        if (stacked) offset += v;
      }
      if (!stacked) labels.push(svg('text', { class: 'value', x: x(v ?? 0) + 6, y: y + BAR - 5 }, v === null ? hiddenLabel : format(v ?? 0)));
    });
    if (stacked) {
      const anyHidden = series.some((s) => s.values[c] === null);
      labels.push(svg('text', { class: 'value', x: x(offset) + 6, y: y0 + BAR - 5 }, `${format(offset)}${anyHidden ? ` + ${hiddenLabel}` : ''}`));
    }
    const text = lines[c];
    const first = y0 + (rowHeight - GAP) / 2 + 5 - ((text.length - 1) * LINE) / 2;
    return svg('g', { class: 'row' },
      svg('text', { class: 'category', 'text-anchor': 'end' },
        text.map((line, i) => svg('tspan', { x: LABEL - 8, y: first + i * LINE }, line)),
        text.length > 1 ? svg('title', {}, name) : null),
      bars, labels);
  });

  return svg('svg', { class: 'chart', viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', 'aria-labelledby': `${titleId} ${titleId}-d`, preserveAspectRatio: 'xMinYMin meet' },
    svg('title', { id: titleId }, title),
    svg('desc', { id: `${titleId}-d` }, description),
    svg('g', { class: 'axis' }, grid),
    rows);
}

/** The series' names beside colour swatches (HTML, so long names wrap). */
export function legend(series) {
  const ul = document.createElement('ul');
  ul.className = 'legend';
  series.forEach((s, i) => {
    const li = document.createElement('li');
    li.append(svg('svg', { width: 14, height: 14, 'aria-hidden': 'true' }, svg('rect', { width: 14, height: 14, fill: s.color ?? PALETTE[i % PALETTE.length] })), ` ${s.name}`);
    ul.append(li);
  });
  return ul;
}
