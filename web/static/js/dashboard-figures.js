// How each report figure becomes a chart: its tidy rows (dimensions, measure, value) pivoted into categories
// (one bar row each) and series. `names` turns codes into words: programme names, countries, stage labels.
import { t, tn } from './i18n.js';

const SCORE_COLOURS = ['#B2182B', '#D55E00', '#767676', '#0072B2', '#5E3C99'];

/** Distinct values of `key(row)` in first-seen order (the API already sorts them). */
function distinct(rows, key) {
  return [...new Set(rows.map(key))];
}

/** value of the row with these dimensions and measure: a number, null when suppressed, 0 when absent. */
function valueOf(rows, match, measure) {
  const row = rows.find((r) => r.measure === measure && Object.entries(match).every(([k, v]) => r[k] === v));
  return row ? row.value : 0;
}

/** P3M → "3 months": checkpoints are named by their ISO 8601 offset after return. */
export function offsetLabel(offset) {
  const m = /^P(\d+)([DWMY])$/.exec(offset);
  return m ? tn(`dash.unit.${m[2]}`, Number(m[1])) : offset;
}

const number = (v) => new Intl.NumberFormat().format(v);
const daysOf = (v) => tn('dash.days', v, { n: number(v) });

export const FIGURES = [
  {
    name: 'cases-by-stage',
    chart: (rows, names) => ({
      categories: rows.map((r) => names.stage(r.stage)),
      series: [{ name: t('dash.measure.cases'), values: rows.map((r) => r.value) }],
      format: number,
    }),
  },
  {
    name: 'departures-by-month',
    chart: (rows, names) => {
      const months = distinct(rows, (r) => r.month);
      const groups = distinct(rows, (r) => `${r.programme}\u0000${r.country}`).map((k) => k.split('\u0000'));
      return {
        categories: months,
        stacked: true,
        series: groups.map(([programme, country]) => ({
          name: `${names.programme(programme)} · ${names.country(country)}`,
          values: months.map((month) => valueOf(rows, { month, programme, country }, 'departures')),
        })),
        format: number,
      };
    },
  },
  {
    name: 'durations',
    chart: (rows) => {
      const intervals = distinct(rows, (r) => r.interval);
      return {
        categories: intervals.map((i) => {
          const n = valueOf(rows, { interval: i }, 'cases');
          return `${t(`dash.interval.${i}`)} (${n === null ? t('dash.fewCases') : tn('dash.cases', n)})`;
        }),
        series: ['median_days', 'p90_days'].map((m) => ({ name: t(`dash.measure.${m}`), values: intervals.map((i) => valueOf(rows, { interval: i }, m)) })),
        format: daysOf,
      };
    },
  },
  {
    name: 'places',
    chart: (rows, names) => {
      const programmes = distinct(rows, (r) => r.programme);
      return {
        categories: programmes.map((p) => `${names.programme(p)} (${tn('dash.funded', valueOf(rows, { programme: p }, 'funded'))})`),
        stacked: true,
        series: ['used', 'left'].map((m) => ({ name: t(`dash.measure.${m}`), values: programmes.map((p) => valueOf(rows, { programme: p }, m)) })),
        format: number,
      };
    },
  },
  {
    name: 'escalations-by-stage',
    chart: (rows, names) => {
      const stages = distinct(rows, (r) => r.stage);
      return {
        categories: stages.map(names.stage),
        series: ['escalations', 'cases'].map((m) => ({ name: t(`dash.measure.${m}`), values: stages.map((s) => valueOf(rows, { stage: s }, m)) })),
        format: number,
      };
    },
  },
  {
    name: 'sustainability-scores',
    chart: (rows) => {
      const checkpoints = distinct(rows, (r) => r.checkpoint);
      const bands = distinct(rows.filter((r) => r.measure.startsWith('score_')), (r) => r.measure);
      return {
        categories: checkpoints.map((c) => {
          const avg = valueOf(rows, { checkpoint: c }, 'average_score');
          return `${offsetLabel(c)} · ${t('dash.average', { v: avg === null ? t('dash.hiddenShort') : number(avg) })}`;
        }),
        stacked: true,
        series: bands.map((b, i) => ({
          name: t(`dash.measure.${b}`),
          color: SCORE_COLOURS[i],
          values: checkpoints.map((c) => valueOf(rows, { checkpoint: c }, b)),
        })),
        format: number,
      };
    },
  },
];
