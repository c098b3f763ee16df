// `andecha login URL` as a real process against a server listening on 127.0.0.1: handle and password piped on stdin,
// typed on a pseudo-terminal (util-linux `script`) where the password must not be echoed, and each failure said.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { createTestApp, registerUser, type TestApp } from '../helpers/app.js';

const bin = new URL('../../bin/andecha.mjs', import.meta.url).pathname;
const haveScript = existsSync('/usr/bin/script');
const password = 'correct-horse-battery';

type Run = { code: number | null; stdout: string; stderr: string };

describe('andecha login', () => {
  let t: TestApp;
  let url: string;
  let tmp: string;
  let config: string;

  beforeAll(async () => {
    t = await createTestApp('pglite');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { handle: 'ana', email: 'ana@example.org', password },
    });
    expect(r.statusCode).toBe(201);
    await registerUser(t.app, 'ben');
    tmp = mkdtempSync(join(tmpdir(), 'andecha-login-'));
  }, 120_000);
  afterAll(async () => {
    await t.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  /** Runs the CLI with stdin a pipe holding `input` (then closed); a fresh config file per run. */
  function cliPiped(args: string[], input: string): Promise<Run> {
    config = join(mkdtempSync(join(tmp, 'c-')), 'config.json');
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [bin, ...args], {
        env: { ...process.env, ANDECHA_CONFIG: config },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
      child.stdin.end(input);
    });
  }

  it('reads the handle and the password from piped stdin lines and logs in', async () => {
    const r = await cliPiped(['login', url], `ana\n${password}\n`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`logged in to ${url} as ana`);
    expect(JSON.parse(readFileSync(config, 'utf8'))).toMatchObject({ url, handle: 'ana' });
  });

  it('accepts the password without a final newline and the handle from --handle', async () => {
    const r = await cliPiped(['login', url, '--handle', 'ana'], password);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('as ana');
  });

  it('says the password is wrong, with a non-zero exit and no config written', async () => {
    const r = await cliPiped(['login', url], 'ana\nnot-the-password\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Wrong handle or password for ${url} (as "ana")`);
    expect(existsSync(config)).toBe(false);
  });

  it('says what is missing when stdin ends early, instead of waiting forever', async () => {
    const none = await cliPiped(['login', url], '');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('No handle given');
    const noPassword = await cliPiped(['login', url], 'ana\n');
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toContain('No password given');
  });

  it('says the server cannot be reached', async () => {
    // a port that was free a moment ago: nothing listens there
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as { port: number }).port;
        probe.close(() => resolve(p));
      });
    });
    const r = await cliPiped(['login', `http://127.0.0.1:${port}`], `ana\n${password}\n`);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`Cannot reach http://127\\.0\\.0\\.1:${port}: ECONNREFUSED`));
  });

  /** The CLI on a pseudo-terminal (`script`): what is written to script's stdin is typed on it. */
  function cliOnTerminal(args: string[]) {
    config = join(mkdtempSync(join(tmp, 'c-')), 'config.json');
    const command = [process.execPath, bin, ...args].map((part) => `'${part}'`).join(' ');
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      env: { ...process.env, ANDECHA_CONFIG: config },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    child.stdout.on('data', (c) => (screen += c));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    const waitFor = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no "${text}" on the terminal; it shows: ${JSON.stringify(screen)}`)),
          20_000,
        );
        const check = () => {
          if (!screen.includes(text)) return;
          clearTimeout(timer);
          child.stdout.off('data', check);
          resolve();
        };
        child.stdout.on('data', check);
        check();
      });
    return {
      waitFor,
      type: (keys: string) => child.stdin.write(keys),
      closed,
      screen: () => screen,
      end: () => child.stdin.end(),
    };
  }

  it.skipIf(!haveScript)('on a terminal, asks for both and does not echo the password', async () => {
    const terminal = cliOnTerminal(['login', url]);
    await terminal.waitFor('handle or email: ');
    terminal.type('ana\r');
    await terminal.waitFor('password: ');
    terminal.type(`${password}\r`);
    await terminal.waitFor('logged in to');
    terminal.end();
    expect(await terminal.closed).toBe(0);
    // the handle typed is echoed as usual (readline redraws it: drop its cursor moves); the password never reaches the screen
    const escapes = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g');
    expect(terminal.screen().replace(escapes, '')).toContain('handle or email: ana');
    expect(terminal.screen()).not.toContain(password);
    expect(terminal.screen()).not.toContain(password.slice(0, 6));
    expect(JSON.parse(readFileSync(config, 'utf8'))).toMatchObject({ handle: 'ana' });
  });

  it.skipIf(!haveScript)('on a terminal, Ctrl-C at either question cancels with exit 130', async () => {
    for (const answers of [[], ['ana\r']]) {
      const terminal = cliOnTerminal(['login', url]);
      await terminal.waitFor('handle or email: ');
      for (const keys of answers) terminal.type(keys);
      if (answers.length) await terminal.waitFor('password: ');
      terminal.type('\u0003');
      await terminal.waitFor('Cancelled');
      terminal.end();
      expect(await terminal.closed).toBe(130);
      expect(existsSync(config)).toBe(false);
    }
  });
});
