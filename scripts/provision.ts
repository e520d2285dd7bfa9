// Command-line entry that makes sure the Temporal CLI and the time-skipping test server (and, with
// --with-browser, Chromium) are present; run before tests, and cheap to re-run because everything is cached.
import { ensureChromium, ensureTemporalCli, ensureTimeSkippingServer, ProvisionError, type ProvisionedBinary } from './temporal-binaries';

const USAGE = `Usage: tsx scripts/provision.ts [--with-browser] [--verify]

  --with-browser  also make sure /usr/bin/chromium exists (installs Debian's package when root with apt-get)
  --verify        re-hash cached binaries even if unchanged since they were last verified

Environment:
  TEMPORAL_CLI_PATH           use this temporal binary instead of provisioning one
  TEMPORAL_TEST_SERVER_PATH   use this temporal-test-server binary instead of provisioning one
  TEMPORAL_CACHE_DIR          cache directory (default \${XDG_CACHE_HOME:-~/.cache}/avrr-engine/temporal)`;

async function timed(label: string, fn: () => Promise<ProvisionedBinary>): Promise<ProvisionedBinary> {
  const started = process.hrtime.bigint();
  const result = await fn();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`${label}: ${result.version} via ${result.route} in ${seconds.toFixed(2)} s -> ${result.path}`);
  return result;
}

async function main(argv: string[]): Promise<number> {
  const known = new Set(['--with-browser', '--verify', '--help', '-h']);
  const unknown = argv.filter((a) => !known.has(a));
  if (unknown.length > 0 || argv.includes('--help') || argv.includes('-h')) {
    if (unknown.length > 0) {
      console.error(`unknown argument(s): ${unknown.join(' ')}\n${USAGE}`);
      return 2;
    }
    console.log(USAGE);
    return 0;
  }
  const opts = { verifyChecksums: argv.includes('--verify') };
  const started = Date.now();
  try {
    await timed('temporal CLI', () => ensureTemporalCli(opts));
    await timed('time-skipping test server', () => ensureTimeSkippingServer(opts));
    if (argv.includes('--with-browser')) await timed('chromium', () => ensureChromium());
  } catch (e) {
    // One message naming every route and why it failed; a stack trace would only bury it.
    console.error(e instanceof ProvisionError ? e.message : e);
    return 1;
  }
  console.log(`provisioned in ${((Date.now() - started) / 1000).toFixed(2)} s`);
  return 0;
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
