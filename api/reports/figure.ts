// What a figure is: a name (its URL), what the period filter applies to, its dimensions, and its SQL.
import type { Pool } from 'pg';
import type { Row } from './cells';
import type { ReportFilter } from './query';

export interface Figure {
  /** URL segment and file name: /api/v1/reports/<name>. */
  readonly name: string;
  readonly title: string;
  /** Which instant the period (from, to) selects on. */
  readonly period: string;
  readonly dimensions: readonly string[];
  readonly measures: readonly string[];
  compute(pool: Pool, filter: ReportFilter): Promise<Row[]>;
}
