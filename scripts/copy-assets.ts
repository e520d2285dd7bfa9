// Part of `npm run build`: copies what the compiled code reads from disk next to it in dist/ — the SQL
// migrations, the web app's static files and the programme files — since tsc emits only JavaScript.
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
export const ASSETS = ['db/migrations', 'web/static', 'programmes'];

export function copyAssets(dist = path.join(ROOT, 'dist')): void {
  for (const dir of ASSETS) fs.cpSync(path.join(ROOT, dir), path.join(dist, dir), { recursive: true });
}

if (require.main === module) copyAssets();
