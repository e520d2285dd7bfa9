// Every figure of the dashboard and the fund reports, in the order the dashboard shows them.
import { casesByStage } from './cases-by-stage';
import { departuresByMonth } from './departures';
import { durations } from './durations';
import { escalationsByStage } from './escalations';
import type { Figure } from './figure';
import { places } from './places';
import { sustainabilityScores } from './scores';

export const FIGURES: readonly Figure[] = [casesByStage, departuresByMonth, durations, places, escalationsByStage, sustainabilityScores];
export type { Figure } from './figure';
export { MIN_CELL, type Row } from './cells';
export { ReportQuery, reportFilter } from './query';
export { toCsv } from './csv';
