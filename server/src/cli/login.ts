// `andecha login URL`: a token (given, or got with handle and password) checked against the instance and stored.
import { ApiClient } from './client.js';
import { writeCliConfig, configPath } from './config.js';
import { CliError } from './output.js';
import { createPrompter } from './prompt.js';

/** Handle and password from the options, else asked: on a terminal (password hidden) or as two lines of piped stdin. */
async function credentials(opts: {
  handle?: string;
  password?: string;
}): Promise<{ handle: string; password: string }> {
  const prompter = createPrompter();
  try {
    const handle = opts.handle ?? (await prompter.ask('handle or email: '));
    if (!handle)
      throw new CliError(
        'No handle given: type it when asked, pass --handle, or pipe it as the first line of stdin',
        2,
      );
    const password = opts.password ?? (await prompter.askSecret('password: '));
    if (!password)
      throw new CliError(
        'No password given: type it when asked, pass --password, or pipe it as the line after the handle',
        2,
      );
    return { handle, password };
  } finally {
    prompter.close();
  }
}

async function tokenFor(base: string, handle: string, password: string): Promise<string> {
  const res = await new ApiClient(base).raw('POST', '/api/auth/login', { login: handle, password });
  if (res.status === 401) throw new CliError(`Wrong handle or password for ${base} (as "${handle}")`);
  if (!res.ok) {
    const problem = (await res.json().catch(() => undefined)) as { detail?: string; title?: string } | undefined;
    throw new CliError(
      `Login at ${base} failed (${res.status}): ${problem?.detail ?? problem?.title ?? res.statusText}`,
    );
  }
  return ((await res.json()) as { token: string }).token;
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
    const { handle, password } = await credentials(opts);
    token = await tokenFor(base, handle, password);
  }
  const me = await new ApiClient(base, token).json<{ handle: string }>('GET', '/api/me');
  const path = configPath();
  writeCliConfig({ url: base, token, handle: me.handle }, path);
  return { url: base, handle: me.handle, config: path };
}
