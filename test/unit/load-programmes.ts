// Loads the shipped programme files through the real validator, for unit tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseProgramme, type Programme } from '../../workflows/domain/programme';

const ROOT = join(__dirname, '..', '..');

export function loadProgramme(file: string): Programme {
  const path = file.startsWith('test/') ? join(ROOT, file) : join(ROOT, 'programmes', `${file}.json`);
  return parseProgramme(JSON.parse(readFileSync(path, 'utf8')));
}

export function rawProgramme(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(ROOT, 'programmes', `${file}.json`), 'utf8')) as Record<string, unknown>;
}

export const IT_RVA = (): Programme => loadProgramme('it-rva-fami');
export const DE_REAG = (): Programme => loadProgramme('de-reag-garp');
export const DE_SHP = (): Programme => loadProgramme('de-starthilfeplus');
export const EU_EURP = (): Programme => loadProgramme('eu-eurp');
export const FAST = (): Programme => loadProgramme('test/fixtures/programmes/fast.json');
