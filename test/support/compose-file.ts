// Reads docker-compose.yml the way Docker Compose would, for the tests that cannot run Docker: YAML with merge
// keys, `${VAR:-default}` interpolation, and each service's environment assembled from its env files (their
// committed .example versions), its `environment` block and the image's ENV lines in the Dockerfile.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  env_file?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  [key: string]: unknown;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  [key: string]: unknown;
}

/** Interpolates with the defaults written in the file (no variable is set), as `docker compose config` would. */
export function readCompose(file = path.join(ROOT, 'docker-compose.yml')): ComposeFile {
  const text = fs.readFileSync(file, 'utf8').replace(/\$\{([A-Z0-9_]+)(?::?-([^}]*))?\}/g, (_m, name: string, dflt?: string) => {
    if (dflt === undefined) throw new Error(`docker-compose.yml: \${${name}} has no default`);
    return dflt;
  });
  return parse(text.replace(/\$\$/g, '$'), { merge: true }) as ComposeFile;
}

export function readEnvFile(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) env[m[1]] = m[2];
  }
  return env;
}

/** The ENV lines of the Dockerfile's last stage (the runtime image). */
export function imageEnv(dockerfile = path.join(ROOT, 'Dockerfile')): Record<string, string> {
  const stages = fs.readFileSync(dockerfile, 'utf8').replace(/\\\n/g, ' ').split(/^FROM /m);
  const env: Record<string, string> = {};
  for (const line of stages[stages.length - 1].split('\n')) {
    if (!line.startsWith('ENV ')) continue;
    for (const m of line.slice(4).matchAll(/([A-Z_][A-Z0-9_]*)=(\S+)/g)) env[m[1]] = m[2];
  }
  return env;
}

/** The environment a service's process sees; env files are read from their committed `.example`. */
export function serviceEnv(service: ComposeService, withImage: boolean): Record<string, string> {
  const fromFiles = (service.env_file ?? []).map((f) => readEnvFile(path.join(ROOT, `${f}.example`)));
  return Object.assign({}, withImage ? imageEnv() : {}, ...fromFiles, service.environment ?? {});
}

/** Env names the code reads besides the config schema: `process.env.X`, and keys of zod env schemas. */
export function envNamesReadByCode(dirs = ['activities', 'api', 'common', 'db', 'worker', 'scripts']): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
  for (const file of dirs.flatMap((d) => walk(path.join(ROOT, d)))) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)) names.add(m[1]);
    // A schema parsed from the environment (e.g. activities/webhooks/settings.ts): its upper-case keys.
    if (/safeParse\(env\)|parse\(process\.env\)/.test(text)) for (const m of text.matchAll(/^\s+([A-Z][A-Z0-9_]{2,}):/gm)) names.add(m[1]);
  }
  return names;
}
