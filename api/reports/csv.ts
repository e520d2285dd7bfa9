// RFC 4180 CSV of a figure's rows: one column per dimension, then measure, value and suppressed.
import type { Row } from './cells';

export function toCsv(dimensions: readonly string[], rows: readonly Row[]): string {
  const columns = [...dimensions, 'measure', 'value', 'suppressed'];
  const lines = [columns.join(','), ...rows.map((r) => columns.map((c) => field(r[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

function field(v: Row[string] | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'string') return String(v);
  // A spreadsheet would run a cell that starts like a formula: quote it as text.
  const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
