// Where the CLI keeps the instance URL and token: ~/.config/andecha/config.json (mode 600), or $ANDECHA_CONFIG.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError } from './output.js';

export interface CliConfig {
  url: string;
  token: string;
  handle?: string;
}

/** The CLI is its own program: its one setting from the environment is read here, like server/src/config.ts. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.ANDECHA_CONFIG || join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'andecha', 'config.json');
}

export function readCliConfig(path = configPath()): CliConfig {
  if (!existsSync(path)) throw new CliError(`Not logged in: run "andecha login URL" first (no ${path})`, 2);
  try {
    const c = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof c.url === 'string' && typeof c.token === 'string') return c;
  } catch {
    /* fall through */
  }
  throw new CliError(`${path} is not an andecha configuration; run "andecha login URL" again`, 2);
}

export function writeCliConfig(config: CliConfig, path = configPath()): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
  chmodSync(path, 0o600); // an existing file keeps its old mode on write
}

/**
 * The user's language as a BCP 47 tag for Accept-Language, from the POSIX locale (LC_ALL, then LC_MESSAGES, then
 * LANG, the first one set wins): `es_ES.UTF-8` → `es-ES`; none for C or POSIX (the server then answers in English).
 */
export function userLanguage(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const posix = env.LC_ALL || env.LC_MESSAGES || env.LANG;
  if (!posix) return undefined;
  const tag = posix.split(/[.@]/)[0].replace(/_/g, '-');
  if (!tag || tag === 'C' || tag === 'POSIX' || !/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(tag)) return undefined;
  return tag;
}
