// `npm run audit:verify -- [caseId]`: verifies one case's audit chain, or every chain. Prints the report as
// JSON; exits 0 when every chain holds, 1 on a broken link (the first one per case is listed), 2 when it
// could not check (misuse, database unreachable).
import { verifyAll, verifyCase } from '../db/verify-audit';
import { cliConfig, fail, openPool } from './replay-connect';

async function main(): Promise<void> {
  const [caseId, ...rest] = process.argv.slice(2);
  if (rest.length || caseId?.startsWith('-')) fail('usage: npm run audit:verify -- [caseId]');
  const pool = openPool(cliConfig());
  try {
    const progress = process.stderr.isTTY ? (n: number) => process.stderr.write(`\rchecked ${n} cases`) : undefined;
    const report = caseId ? await verifyCase(pool, caseId) : await verifyAll(pool, progress);
    if (progress) process.stderr.write('\n');
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    const first = report.breaks[0];
    process.stderr.write(
      first
        ? `BROKEN: ${report.breaks.length} case(s); first: case ${first.caseId} entry ${first.entryNo} (${first.problem}): expected ${first.expected}, found ${first.found}\n`
        : `ok: ${report.casesChecked} case(s), ${report.entriesChecked} entries\n`,
    );
    process.exitCode = report.ok ? 0 : 1;
  } finally {
    await pool.end();
  }
}

main().catch((err) => {
  process.stderr.write(`audit:verify failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
