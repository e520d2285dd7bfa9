// Figures leave the server as tidy rows (dimensions, a measure, a value), with small cells suppressed the way
// statistical offices publish: a count of 1 to 4 cases, or a statistic computed from fewer than 5, becomes
// null with `suppressed: true`. Zero is shown: it names no one. See docs/reports.md.

export const MIN_CELL = 5;

export interface Row {
  [dimension: string]: string | number | boolean | null;
  measure: string;
  value: number | null;
  suppressed: boolean;
}

export type Dims = Record<string, string>;

const SHOWN = (dims: Dims, measure: string, value: number): Row => ({ ...dims, measure, value, suppressed: false });
const HIDDEN = (dims: Dims, measure: string): Row => ({ ...dims, measure, value: null, suppressed: true });

/** A number of cases (or reports): hidden when 1 to 4. */
export function countCell(dims: Dims, measure: string, n: number): Row {
  return n > 0 && n < MIN_CELL ? HIDDEN(dims, measure) : SHOWN(dims, measure, n);
}

/** A statistic (median, percentile, average) or a figure that would reveal a small count: hidden unless `n` ≥ 5. */
export function statCell(dims: Dims, measure: string, value: number | null, n: number): Row {
  return n < MIN_CELL || value === null ? HIDDEN(dims, measure) : SHOWN(dims, measure, value);
}

/** A value from which a count of `n` cases could be worked out: hidden when that count is 1 to 4. */
export function revealingCell(dims: Dims, measure: string, value: number, n: number): Row {
  return n > 0 && n < MIN_CELL ? HIDDEN(dims, measure) : SHOWN(dims, measure, value);
}

/** A fact that counts no one (e.g. funded places set by the programme): never hidden. */
export function factCell(dims: Dims, measure: string, value: number): Row {
  return SHOWN(dims, measure, value);
}

/**
 * Parts published beside their total: if exactly one part is hidden, the total minus the others would reveal it,
 * so the smallest other non-zero part is hidden too (secondary suppression).
 */
export function protectParts(parts: Row[], total: Row): Row[] {
  if (total.suppressed || parts.filter((c) => c.suppressed).length !== 1) return parts;
  const shown = parts.filter((c) => !c.suppressed && (c.value ?? 0) > 0);
  const smallest = shown.reduce<Row | undefined>((a, c) => (a === undefined || (c.value ?? 0) < (a.value ?? 0) ? c : a), undefined);
  return parts.map((c) => (c === smallest ? { ...c, value: null, suppressed: true } : c));
}

/** Days, to one decimal: finer than that suggests a precision the dates do not have. */
export function days(v: number | null): number | null {
  return v === null ? null : Math.round(v * 10) / 10;
}
