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
