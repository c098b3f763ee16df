// `andecha translate` as a child process against a listening test server: fetch a version's README into
// README.<lang>.md with the front matter naming it, then propose the translated file; a file made from an older
// README is refused against a newer version, naming the version it translates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseKinds } from '../helpers/databases.js';
import { createDesign, createTestApp, publish, registerUser, type TestApp, type TestUser } from '../helpers/app.js';

const bin = new URL('../../bin/andecha.mjs', import.meta.url).pathname;
const sha = (b: string) => createHash('sha256').update(b).digest('hex');
const readme1 = '# Brick press\n\nBolt the frame.\n';
const readme2 = '# Brick press\n\nBolt the frame with M12 bolts.\n';

describe.each(databaseKinds)('andecha translate against a server on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  let bob: TestUser;
  let url: string;
  let tmp: string;
  const cli = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [bin, ...args],
        {
          env: { ...process.env, ANDECHA_CONFIG: join(tmp, 'config', 'config.json'), LANG: 'C' },
          cwd: tmp,
          timeout: 60_000,
        },
        (err, stdout, stderr) => {
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
        },
      );
    });
  const json = async (...args: string[]) => {
    const r = await cli('--json', ...args);
    return { ...r, body: JSON.parse(r.stdout || '{}') };
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
    ana = await registerUser(t.app, 'ana');
    bob = await registerUser(t.app, 'bob');
    await createDesign(t.app, ana, 'press');
    for (const [version, readme] of [
      ['1.0.0', readme1],
      ['1.1.0', readme2],
    ]) {
      const r = await publish(t.app, ana, 'ana', 'press', { version }, [{ path: 'README.md', bytes: readme }]);
      expect(r.statusCode, r.body).toBe(201);
    }
    tmp = mkdtempSync(join(tmpdir(), 'andecha-translate-'));
  }, 120_000);
  afterAll(async () => {
    await t.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('writes README.es.md: the front matter naming the README of 1.0.0, the original below it to translate', async () => {
    expect((await cli('login', url, '--token', bob.token)).code).toBe(0);
    const r = await json('translate', 'ana/press@1.0.0', 'ES');
    expect(r.code, r.stderr).toBe(0);
    expect(r.body).toMatchObject({ version: '1.0.0', lang: 'es', source: { path: 'README.md', sha256: sha(readme1) } });
    expect(readFileSync(join(tmp, 'README.es.md'), 'utf8')).toBe(
      `---\ntranslation-of: ${sha(readme1)}\n---\n${readme1}`,
    );
    const again = await cli('translate', 'ana/press@1.0.0', 'es');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/README\.es\.md exists/);
    const bad = await cli('translate', 'ana/press', 'not a tag');
    expect(bad.code).toBe(2);
  });

  it('proposes the translated file: refused against 1.1.0 (another README), sent as a proposal of 1.0.0', async () => {
    const file = join(tmp, 'README.es.md');
    writeFileSync(file, `---\ntranslation-of: ${sha(readme1)}\n---\n# Prensa\n\nAtornille el bastidor.\n`);
    const wrong = await cli('translate', '--propose', 'README.es.md', 'ana/press');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/translates the README of 1\.0\.0, not of 1\.1\.0: propose it as ana\/press@1\.0\.0/);
    const r = await json('translate', '--propose', 'README.es.md', 'ana/press@1.0.0', '--message', 'Para Tucumán');
    expect(r.code, r.stderr).toBe(0);
    expect(r.body.proposal).toMatchObject({
      kind: 'translation',
      author: 'bob',
      message: 'Para Tucumán',
      translation: { lang: 'es', version: '1.0.0', path: 'README.es.md' },
    });
    const text = await t.app.inject({ url: `/api/designs/ana/press/proposals/${r.body.proposal.id}/translation` });
    expect(text.body).toBe(`---\ntranslation-of: ${sha(readme1)}\n---\n# Prensa\n\nAtornille el bastidor.\n`);
    // a file named otherwise says its language with --lang
    writeFileSync(join(tmp, 'montage.md'), '# Presse\n');
    expect((await cli('translate', '--propose', 'montage.md', 'ana/press')).code).toBe(2);
    const fr = await json('translate', '--propose', 'montage.md', 'ana/press', '--lang', 'fr');
    expect(fr.code, fr.stderr).toBe(0);
    expect(fr.body).toMatchObject({ version: '1.1.0', lang: 'fr' });
  });
});
