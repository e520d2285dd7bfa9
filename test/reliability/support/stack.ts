// A whole deployment on one machine that a fault test or a benchmark owns and can break on purpose: a Temporal dev
// server (persistent SQLite file, so it can be restarted), an embedded PostgreSQL (stoppable and restartable on the
// same data folder and port), and the app's worker and API in child processes that can be SIGKILLed and started
// again. Free ports, data under one folder, everything stopped and removed by stop().
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { bundleWorkflowCode } from '@temporalio/worker';
import { loadConfig, type Config } from '../../../common/config';
import { ensureTemporalCli } from '../../../scripts/temporal-binaries';
import { startTemporalDevServer, stopChild, type RunningTemporal } from '../../../scripts/temporal-dev-server';
import type { WorkerTuning } from '../../../worker/worker';
import { WORKFLOWS_PATH } from '../../../worker/worker';
import { TEST_ENV } from '../../support/test-env';
import { freePort } from '../../support/free-port';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const APP_PROCESS = path.join(REPO_ROOT, 'test', 'reliability', 'app-process.ts');
const POSTGRES_PROCESS = path.join(REPO_ROOT, 'test', 'reliability', 'postgres-process.ts');

export interface StackOptions {
  /** Folder for this stack's data; removed by stop() unless `keepData`. */
  dataDir: string;
  /** Extra environment for the app processes (e.g. WEBHOOK_* or PROGRAMMES_DIR). */
  env?: Record<string, string>;
  /** Temporal server dynamic config (e.g. a low continue-as-new threshold). */
  dynamicConfig?: Record<string, unknown>;
  keepData?: boolean;
  /** The dev server's SQLite in a file (default, needed to restart it) or in memory (faster; no restart). */
  persistent?: boolean;
  /** Start on the data already in `dataDir` (a stack stopped earlier) instead of a fresh folder. */
  reuseData?: boolean;
  log?: (m: string) => void;
}

export interface AppProcess {
  pid: number;
  /** The API's base URL ('' when the process runs no API). */
  url: string;
  child: ChildProcess;
  /** Graceful stop (SIGTERM, SIGKILL after 15 s). */
  stop(): Promise<void>;
  /** kill -9: no shutdown code runs at all. */
  kill(): Promise<void>;
  /** Resident set size now and its high-water mark, in MiB (from /proc). */
  memory(): { rssMiB: number; hwmMiB: number };
  /** CPU seconds used so far (from /proc). */
  cpuSeconds(): number;
}

export interface SpawnAppOptions {
  worker?: boolean;
  api?: boolean;
  tuning?: WorkerTuning;
  /** Keep the API's port across restarts (client retries go to the same URL). */
  port?: number;
  env?: Record<string, string>;
}

export class Stack {
  readonly dataDir: string;
  cfg!: Config;
  env: Record<string, string> = {};
  temporalAddress = '';
  databaseUrl = '';
  bundlePath = '';
  private temporal?: RunningTemporal;
  private postgres?: AppProcess;
  private cliPath = '';
  private ports = { temporal: 0, ui: 0, pg: 0 };
  private apps = new Set<AppProcess>();
  private readonly log: (m: string) => void;

  constructor(private readonly opts: StackOptions) {
    this.dataDir = opts.dataDir;
    this.log = opts.log ?? (() => undefined);
  }

  async start(): Promise<this> {
    if (!this.opts.reuseData) fs.rmSync(this.dataDir, { recursive: true, force: true });
    fs.mkdirSync(this.dataDir, { recursive: true });
    this.ports = { temporal: await freePort(), ui: await freePort(), pg: await freePort() };
    this.env = {
      ...TEST_ENV,
      DATA_DIR: this.dataDir,
      TEMPORAL_DEV_PORT: String(this.ports.temporal),
      TEMPORAL_UI_PORT: String(this.ports.ui),
      EMBEDDED_PG_PORT: String(this.ports.pg),
      ...this.opts.env,
    };
    this.cfg = loadConfig({ ...process.env, ...this.env });
    this.cliPath = (await ensureTemporalCli({ log: this.log })).path;
    await this.startTemporal();
    await this.startPostgres();
    await this.migrate();
    this.env.TEMPORAL_ADDRESS = this.temporalAddress;
    this.env.DATABASE_URL = this.databaseUrl;
    this.cfg = loadConfig({ ...process.env, ...this.env });
    return this;
  }

  /** Runs the migrations in a child process (node-pg-migrate is ESM, which jest's module system cannot load). */
  private async migrate(): Promise<void> {
    const script = path.join(REPO_ROOT, 'scripts', 'migrate.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...this.env, DATABASE_URL: this.databaseUrl, LOG_LEVEL: 'error' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`migrations failed (${code}): ${stderr}`);
  }

  /** Bundles the case workflows once (each app process would otherwise bundle them again at start). */
  async bundle(bundlePath = process.env.AVRR_TEST_BUNDLE): Promise<string> {
    if (bundlePath && fs.existsSync(bundlePath)) return (this.bundlePath = bundlePath);
    const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve(WORKFLOWS_PATH), logger: quietLogger });
    this.bundlePath = path.join(this.dataDir, 'workflow-bundle.js');
    fs.writeFileSync(this.bundlePath, code);
    return this.bundlePath;
  }

  async startTemporal(): Promise<void> {
    this.temporal = await startTemporalDevServer({
      cliPath: this.cliPath,
      dataDir: this.dataDir,
      port: this.ports.temporal,
      uiPort: this.ports.ui,
      namespace: this.cfg.TEMPORAL_NAMESPACE,
      persistent: this.opts.persistent ?? true,
      dynamicConfig: this.opts.dynamicConfig,
    });
    this.temporalAddress = this.temporal.address;
    this.log(`temporal dev server on ${this.temporalAddress} (pid ${this.temporal.process.pid})`);
  }

  /** Stops the dev server: SIGTERM (a restart), or SIGKILL (a crash). */
  async stopTemporal(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const t = this.temporal;
    this.temporal = undefined;
    if (!t) return;
    if (signal === 'SIGKILL') await killChild(t.process);
    else await t.stop();
  }

  /** Embedded PostgreSQL, run by a helper process (test/reliability/postgres-process.ts) on the stack's port. */
  async startPostgres(): Promise<void> {
    this.postgres = await this.spawnProcess(POSTGRES_PROCESS, { DATA_DIR: this.dataDir, EMBEDDED_PG_PORT: String(this.ports.pg) });
    this.databaseUrl = this.postgres.url;
    this.log(`postgres on 127.0.0.1:${this.ports.pg}`);
  }

  /** Stops PostgreSQL (a fast shutdown: every connection is cut); start it again with startPostgres(). */
  async stopPostgres(): Promise<void> {
    const pg = this.postgres;
    this.postgres = undefined;
    await pg?.stop();
  }

  /** The dev server's SQLite file and its write-ahead log, in bytes. */
  /** The dev server's process ID (for CPU accounting). */
  get temporalPid(): number | undefined {
    return this.temporal?.process.pid;
  }

  temporalDbBytes(): number {
    return ['temporal.sqlite', 'temporal.sqlite-wal', 'temporal.sqlite-shm']
      .map((f) => path.join(this.dataDir, f))
      .filter((f) => fs.existsSync(f))
      .reduce((sum, f) => sum + fs.statSync(f).size, 0);
  }

  /** Starts the app's worker and/or API in a child process of its own; resolves once it runs. */
  async spawnApp(o: SpawnAppOptions = {}): Promise<AppProcess> {
    const worker = o.worker ?? true;
    const api = o.api ?? true;
    return this.spawnProcess(APP_PROCESS, {
      PORT: String(o.port ?? (await freePort())),
      APP_ROLES: [worker ? 'worker' : '', api ? 'api' : ''].filter(Boolean).join(','),
      ...(this.bundlePath ? { APP_BUNDLE: this.bundlePath } : {}),
      ...(o.tuning ? { WORKER_TUNING: JSON.stringify(o.tuning) } : {}),
      ...o.env,
    });
  }

  /** Runs a TypeScript file that prints `READY {json}` when it is up, with the stack's environment plus `extraEnv`. */
  async spawnProcess(script: string, extraEnv: Record<string, string> = {}): Promise<AppProcess> {
    const env: Record<string, string> = { ...(process.env as Record<string, string>), ...this.env, ...extraEnv };
    const logPath = path.join(this.dataDir, `${path.basename(script, '.ts')}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}.log`);
    const logFd = fs.openSync(logPath, 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', logFd] });
    fs.closeSync(logFd);
    const ready = await new Promise<{ url: string; pid: number }>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${script} did not start within 180 s (log ${logPath})`));
      }, 180_000);
      const lines = readline.createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        if (line.startsWith('READY ')) {
          clearTimeout(timer);
          resolve(JSON.parse(line.slice(6)));
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${script} exited (${code ?? signal}) before it was ready:\n${tail(logPath)}`));
      });
    });
    const pid = child.pid!;
    const app: AppProcess = {
      pid,
      url: ready.url,
      child,
      stop: async () => {
        this.apps.delete(app);
        await stopChild(child, 15_000);
      },
      kill: async () => {
        this.apps.delete(app);
        await killChild(child);
      },
      memory: () => procMemory(pid),
      cpuSeconds: () => procCpuSeconds(pid),
    };
    this.apps.add(app);
    return app;
  }

  async stop(): Promise<void> {
    for (const app of [...this.apps].filter((a) => a !== this.postgres)) await app.stop().catch(() => undefined);
    await this.stopTemporal().catch(() => undefined);
    await this.stopPostgres().catch(() => undefined);
    // The processes' logs outlive the data (a failed run is read afterwards): data/<test|bench>/logs/<folder>/.
    const logs = path.join(path.dirname(this.dataDir), 'logs', path.basename(this.dataDir));
    for (const f of fs.existsSync(this.dataDir) ? fs.readdirSync(this.dataDir).filter((n) => n.endsWith('.log')) : []) {
      fs.mkdirSync(logs, { recursive: true });
      fs.copyFileSync(path.join(this.dataDir, f), path.join(logs, f));
    }
    if (!this.opts.keepData) fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** VmRSS and VmHWM of a process, in MiB (Linux). */
export function procMemory(pid: number): { rssMiB: number; hwmMiB: number } {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rssMiB: kb('VmRSS') / 1024, hwmMiB: kb('VmHWM') / 1024 };
  } catch {
    return { rssMiB: 0, hwmMiB: 0 };
  }
}

/** CPU time a process has used (user + system), in seconds (Linux). */
export function procCpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

function tail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

const noop = () => undefined;
export const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: (m: string) => process.stderr.write(`${m}\n`), log: noop };
