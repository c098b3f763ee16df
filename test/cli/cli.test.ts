// The andecha CLI as a child process against a listening test server: login, validate, publish (resumable), pull, export, import.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { databaseKinds } from '../helpers/databases.js';
import { createTestApp, registerUser, type TestApp, type TestUser } from '../helpers/app.js';

const bin = new URL('../../bin/andecha.mjs', import.meta.url).pathname;
const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const stl = Uint8Array.from({ length: 684 }, (_, i) => (i * 7 + 3) & 255);

function writeFolder(dir: string, files: Record<string, string | Uint8Array>) {
  for (const [p, b] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), b);
  }
}

describe.each(databaseKinds)('andecha CLI against a server on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  let url: string;
  let tmp: string;
  // asynchronous on purpose: the server answers from this same process
  const cli = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [bin, ...args],
        { env: { ...process.env, ANDECHA_CONFIG: join(tmp, 'config', 'config.json') }, cwd: tmp, timeout: 60_000 },
        (err, stdout, stderr) => {
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
        },
      );
    });
  const json = async (...args: string[]) => {
    const r = await cli('--json', ...args);
    return { ...r, body: JSON.parse(r.stdout) };
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address() as { port: number };
    url = `http://127.0.0.1:${address.port}`;
    ana = await registerUser(t.app, 'ana');
    tmp = mkdtempSync(join(tmpdir(), 'andecha-cli-'));
    writeFolder(join(tmp, 'press', '1.0.0'), {
      'manifest.json': JSON.stringify({
        version: '1.0.0',
        title: 'Brick press',
        summary: 'A hand brick press.',
        licenses: { hardware: 'CERN-OHL-S-2.0' },
      }),
      'bom.csv': 'Qty,Name\n1,Frame\n4,Bolt M12\n',
      'README.md': '# Brick press\n',
      'cad/frame.stl': stl,
      'drawings/cut.dxf': '0\nSECTION\n2\nENTITIES\n0\nENDSEC\n0\nEOF\n',
    });
    writeFolder(join(tmp, 'press', '1.1.0'), {
      'manifest.json': JSON.stringify({ version: '1.1.0', title: 'Brick press', changelog: 'Longer lever.' }),
      'bom.csv': 'Qty,Name\n1,Frame\n4,Bolt M12\n1,Lever\n',
      'README.md': '# Brick press\n\nNow with a longer lever.\n',
      'cad/frame.stl': stl,
      'drawings/cut.dxf': '0\nSECTION\n2\nENTITIES\n0\nENDSEC\n0\nEOF\n',
    });
    writeFolder(join(tmp, 'bad'), {
      'manifest.json': JSON.stringify({ version: 'one', licenses: { hardware: 'Nope licence' } }),
      'bom.csv': 'Qty,Name\nlots,Frame\n',
    });
  }, 120_000);
  afterAll(async () => {
    await t.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('fails clearly before login, then logs in with a token and stores it with mode 600', async () => {
    const before = await cli('pull', 'ana/press');
    expect(before.code).toBe(2);
    expect(before.stderr).toMatch(/Not logged in: run "andecha login URL" first/);
    const r = await json('login', url, '--token', ana.token);
    expect(r.code).toBe(0);
    expect(r.body).toMatchObject({ url, handle: 'ana' });
    const path = join(tmp, 'config', 'config.json');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ url, token: ana.token, handle: 'ana' });
    const wrong = await cli('login', url, '--token', 'not-a-token');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/\(401\): The bearer token is invalid/);
  });

  it('validates offline: exit 0 for a good folder, 1 with each problem for a bad one', async () => {
    const good = await json('validate', join(tmp, 'press', '1.0.0'));
    expect(good.code).toBe(0);
    expect(good.body).toMatchObject({ ok: true, version: '1.0.0', files: 3, bomLines: 2, errors: [] });
    const bad = await cli('validate', join(tmp, 'bad'));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('error   /manifest/version: is not semver');
    expect(bad.stdout).toMatch(/warning bom\.csv:2 \(Qty\): /);
    expect(bad.stdout).toContain('not publishable');
  });

  it('publishes with progress, then a new version re-uses the blobs the server holds', async () => {
    const first = await json('publish', join(tmp, 'press', '1.0.0'));
    expect(first.code).toBe(0);
    expect(first.body).toMatchObject({
      owner: 'ana',
      slug: 'press',
      version: '1.0.0',
      createdDesign: true,
      bom: true,
      skipped: [],
    });
    expect(first.body.uploaded.map((f: any) => f.path)).toEqual(['README.md', 'cad/frame.stl', 'drawings/cut.dxf']);
    expect(first.stderr).toContain('uploaded cad/frame.stl (684 B)');

    const second = await json('publish', join(tmp, 'press', '1.1.0'));
    expect(second.code).toBe(0);
    expect(second.body).toMatchObject({
      version: '1.1.0',
      createdDesign: false,
      uploaded: [{ path: 'README.md', size: 40 }],
    });
    expect(second.body.skipped.map((f: any) => f.path)).toEqual(['cad/frame.stl', 'drawings/cut.dxf']);
    expect(second.stderr).toContain('skipped cad/frame.stl (684 B, already on the server)');
    const doc = (await t.app.inject({ url: '/api/designs/ana/press/versions/1.1.0' })).json();
    expect(doc.files.map((f: any) => [f.path, f.sha256])).toEqual([
      ['README.md', sha('# Brick press\n\nNow with a longer lever.\n')],
      ['cad/frame.stl', sha(stl)],
      ['drawings/cut.dxf', sha('0\nSECTION\n2\nENTITIES\n0\nENDSEC\n0\nEOF\n')],
    ]);
    expect(doc.bom.lines).toBe(3);
    const again = await cli('publish', join(tmp, 'press', '1.1.0'));
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/\(409\): ana\/press already has version 1\.1\.0/);
  });

  it('pulls a version into a folder that validates', async () => {
    const r = await json('pull', 'ana/press@1.1.0', join(tmp, 'pulled'));
    expect(r.code).toBe(0);
    expect(r.body).toMatchObject({ version: '1.1.0', files: 3, bom: 'bom.csv' });
    expect(sha(readFileSync(join(tmp, 'pulled', 'cad', 'frame.stl')))).toBe(sha(stl));
    expect(JSON.parse(readFileSync(join(tmp, 'pulled', 'manifest.json'), 'utf8'))).toMatchObject({
      version: '1.1.0',
      changelog: 'Longer lever.',
    });
    expect((await json('validate', join(tmp, 'pulled'))).body).toMatchObject({ ok: true, bomLines: 3 });
    const missing = await cli('pull', 'ana/nothing-here');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/\(404\): Design ana\/nothing-here was not found/);
  });

  it('exports okh.toml + files + BOM and imports the folder back as a new design', async () => {
    const r = await json('export', 'ana/press@1.1.0', join(tmp, 'exported'));
    expect(r.code).toBe(0);
    expect(parseToml(readFileSync(join(tmp, 'exported', 'okh.toml'), 'utf8'))).toMatchObject({
      okhv: 'OKH-LOSHv1.0',
      name: 'Brick press',
      version: '1.1.0',
      bom: 'bom.csv',
    });
    expect(existsSync(join(tmp, 'exported', 'bom.csv'))).toBe(true);
    const imported = await json('import', join(tmp, 'exported'));
    expect(imported.code).toBe(0);
    expect(imported.body.designs).toEqual([{ owner: 'ana', slug: 'brick-press', version: '1.1.0', warnings: [] }]);
    const a = (await t.app.inject({ url: '/api/designs/ana/press/versions/1.1.0' })).json();
    const b = (await t.app.inject({ url: '/api/designs/ana/brick-press/versions/1.1.0' })).json();
    expect(b.files.map((f: any) => f.sha256)).toEqual(a.files.map((f: any) => f.sha256));
    expect(b.bom.checksum).toBe(a.bom.checksum);
    expect(b.manifest).toEqual(a.manifest);
    const needsVersion = await cli('export', 'ana/press');
    expect(needsVersion.code).toBe(2);
  });
});
