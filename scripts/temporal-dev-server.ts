// Starts the official Temporal CLI dev server: SQLite file under DATA_DIR, Web UI on its own port,
// the case search attributes registered. Returns when the frontend accepts connections.
import { spawn, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { searchAttributeFlags } from '../workflows/search-attributes';

export interface RunningTemporal {
  address: string;
  uiUrl: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startTemporalDevServer(opts: {
  cliPath: string;
  dataDir: string;
  port: number;
  uiPort: number;
  namespace: string;
  persistent?: boolean;
  /** Server dynamic config, e.g. a low continue-as-new threshold for tests. */
  dynamicConfig?: Record<string, unknown>;
}): Promise<RunningTemporal> {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  // Something already listening would be mistaken for our server (and its data is not ours): refuse.
  if (await canConnect(opts.port)) {
    throw new Error(`port ${opts.port} is already in use: is another instance running? Stop it, or set TEMPORAL_DEV_PORT`);
  }
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(opts.port),
    '--ui-port', String(opts.uiPort),
    '--namespace', opts.namespace,
    '--log-level', 'warn',
    ...searchAttributeFlags().flatMap((f) => ['--search-attribute', f]),
  ];
  if (opts.persistent !== false) args.push('--db-filename', path.join(opts.dataDir, 'temporal.sqlite'));
  for (const [key, value] of Object.entries(opts.dynamicConfig ?? {})) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  const logFile = fs.openSync(path.join(opts.dataDir, 'temporal.log'), 'a');
  const child = spawn(opts.cliPath, args, { stdio: ['ignore', logFile, logFile] });
  fs.closeSync(logFile);
  let exited = false;
  child.once('exit', () => (exited = true));
  // However this process ends (another library's exit hook may call process.exit first), the server goes too.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  const address = `127.0.0.1:${opts.port}`;
  await waitForPort(opts.port, 60_000, () => exited);
  return {
    address,
    uiUrl: `http://127.0.0.1:${opts.uiPort}`,
    process: child,
    stop: () => stopChild(child),
  };
}

export async function waitForPort(port: number, timeoutMs: number, gaveUp: () => boolean = () => false): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gaveUp()) throw new Error(`the process meant to listen on port ${port} exited`);
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`nothing listened on port ${port} within ${timeoutMs / 1000}s`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

/** SIGTERM, then SIGKILL after 10 s, and wait for the exit so no orphan remains. */
export function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    child.kill('SIGTERM');
  });
}
