// Loads and validates every programme file; a bad file stops the start with the file, field and problem.
import fs from 'node:fs';
import path from 'node:path';
import { parseProgramme, type Programme } from '../workflows/domain/programme';

export function loadProgrammes(dir: string): Map<string, Programme> {
  if (!fs.existsSync(dir)) throw new Error(`PROGRAMMES_DIR ${dir} does not exist`);
  const programmes = new Map<string, Programme>();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    } catch (err) {
      throw new Error(`programme file ${file}: not valid JSON (${(err as Error).message})`);
    }
    let programme: Programme;
    try {
      programme = parseProgramme(json);
    } catch (err) {
      throw new Error(`programme file ${file}: ${(err as Error).message}`);
    }
    if (programmes.has(programme.id)) throw new Error(`programme file ${file}: id "${programme.id}" is used twice`);
    programmes.set(programme.id, programme);
  }
  if (!programmes.size) throw new Error(`PROGRAMMES_DIR ${dir} holds no programme files`);
  return programmes;
}
