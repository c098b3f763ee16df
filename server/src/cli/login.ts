// `andecha login URL`: a token (given, or got with handle and password) checked against the instance and stored.
import { createInterface } from 'node:readline/promises';
import { ApiClient } from './client.js';
import { writeCliConfig, configPath } from './config.js';
import { CliError } from './output.js';

async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

export async function login(url: string, opts: { handle?: string; password?: string; token?: string }) {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`"${url}" is not a URL (expected e.g. http://127.0.0.1:3000)`, 2);
  }
  const base = parsed.origin + parsed.pathname.replace(/\/+$/, '');
  let token = opts.token;
  if (!token) {
    const handle = opts.handle ?? (await ask('handle or email: '));
    const password = opts.password ?? (await ask('password: '));
    if (!handle || !password) throw new CliError('A handle and a password (or --token) are needed', 2);
    token = (await new ApiClient(base).json<{ token: string }>('POST', '/api/auth/login', { login: handle, password })).token;
  }
  const me = await new ApiClient(base, token).json<{ handle: string }>('GET', '/api/me');
  const path = configPath();
  writeCliConfig({ url: base, token, handle: me.handle }, path);
  return { url: base, handle: me.handle, config: path };
}
