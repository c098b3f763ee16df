// Admin tools as functions (users, passwords, takedown, yank, gc, verify, reprocess) and real `npm run admin` runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { databaseKinds } from '../helpers/databases.js';
import { createDesign, createTestApp, publish, registerUser, type TestApp, type TestUser } from '../helpers/app.js';
import {
  adminProgram,
  blobReferenceColumns,
  collectGarbage,
  grantAdmin,
  hideDesign,
  listUsers,
  reprocessAll,
  restoreDesign,
  revokeAdmin,
  setPassword,
  verifyBlobs,
  yankAnyVersion,
} from '../../server/src/admin.js';
import { openRuntime, closeRuntime } from '../../server/src/runtime.js';
import { testConfig } from '../../server/src/config.js';
import { logIn, registerUser as registerAccount } from '../../server/src/accounts/accounts.js';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const hoursLater = (h: number) => new Date(Date.now() + h * 3600_000);

describe('blob reference columns', () => {
  it('lists every column that holds blob sha256s, read from the schema', () => {
    const cols = blobReferenceColumns().map((c) => `${c.table}.${c.column}`);
    expect(cols).toEqual(expect.arrayContaining(['derivatives.sha256', 'design_versions.bom_blob', 'files.sha256']));
    expect(cols).not.toContain('blobs.sha256');
  });
});

describe.each(databaseKinds)('admin commands on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  let ben: TestUser;
  beforeAll(async () => {
    t = await createTestApp(kind);
    ana = await registerUser(t.app, 'ana');
    ben = await registerUser(t.app, 'ben');
    await createDesign(t.app, ana, 'press');
    const r = await publish(t.app, ana, 'ana', 'press', { version: '1.0.0' }, [{ path: 'a.txt', bytes: 'kept file' }], {
      name: 'bom.csv',
      bytes: 'Qty,Name\n1,Frame\n',
    });
    expect(r.statusCode).toBe(201);
    expect(
      (await publish(t.app, ana, 'ana', 'press', { version: '1.1.0' }, [{ path: 'a.txt', bytes: 'kept file' }]))
        .statusCode,
    ).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
  });
  const db = () => t.deps.db.db;

  it('grants, revokes and lists admins', async () => {
    await grantAdmin(db(), 'ben');
    expect((await listUsers(db())).map((u) => [u.handle, u.isAdmin])).toEqual([
      ['ana', true],
      ['ben', true],
    ]);
    await revokeAdmin(db(), 'ben');
    expect((await listUsers(db())).map((u) => [u.handle, u.isAdmin])).toEqual([
      ['ana', true],
      ['ben', false],
    ]);
    await expect(grantAdmin(db(), 'nobody')).rejects.toThrow('User nobody was not found');
  });

  it('sets a password read from stdin or generated, and ends the sessions signed in with the old one', async () => {
    const login = (password: string) =>
      t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'ben', password } });
    const me = (auth: Record<string, string>) => t.app.inject({ method: 'GET', url: '/api/me', headers: auth });
    expect((await me(ben.auth)).statusCode).toBe(200);

    const lines: string[] = [];
    const piped = adminProgram(
      t.deps,
      (l) => lines.push(l),
      async () => 'a new long password',
    );
    await piped.program.parseAsync(['set-password', 'ben'], { from: 'user' });
    expect(lines).toEqual(['ben: password set; its sessions are ended']);
    expect((await me(ben.auth)).statusCode).toBe(401);
    expect((await login(ben.password)).statusCode).toBe(401);
    const signedIn = await login('a new long password');
    expect(signedIn.statusCode).toBe(200);

    // from a terminal nothing is read: one is generated and printed once
    lines.length = 0;
    const fromTerminal = adminProgram(
      t.deps,
      (l) => lines.push(l),
      async () => undefined,
    );
    await fromTerminal.program.parseAsync(['set-password', 'ben'], { from: 'user' });
    const generated = /^ben: password set to (\S+) \(shown once\)/.exec(lines[0])![1];
    expect(generated.length).toBeGreaterThanOrEqual(20);
    expect((await me({ authorization: `Bearer ${signedIn.json().token}` })).statusCode).toBe(401);
    expect((await login('a new long password')).statusCode).toBe(401);
    const again = await login(generated);
    expect(again.statusCode).toBe(200);
    ben = {
      ...ben,
      password: generated,
      token: again.json().token,
      auth: { authorization: `Bearer ${again.json().token}` },
    };

    await expect(setPassword(db(), 'ben', 'short')).rejects.toThrow(
      'A password has 8 to 256 characters; this one has 5',
    );
    await expect(setPassword(db(), 'nobody', 'long enough')).rejects.toThrow('User nobody was not found');
    expect((await login(generated)).statusCode).toBe(200);
  });

  it('hides a design from everyone but its owner and admins, and restores it', async () => {
    await hideDesign(db(), 'ana/press');
    expect((await t.app.inject({ method: 'GET', url: '/api/designs/ana/press' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/designs/ana/press', headers: ben.auth })).statusCode).toBe(
      404,
    );
    expect((await t.app.inject({ method: 'GET', url: '/api/designs/ana/press', headers: ana.auth })).statusCode).toBe(
      200,
    );
    await restoreDesign(db(), 'ana/press');
    expect((await t.app.inject({ method: 'GET', url: '/api/designs/ana/press' })).statusCode).toBe(200);
    await expect(hideDesign(db(), 'ana')).rejects.toThrow('Expected OWNER/SLUG, got "ana"');
  });

  it('yanks any version: latest moves back', async () => {
    expect(await yankAnyVersion(db(), 'ana/press@1.1.0')).toBe('1.1.0');
    expect((await t.app.inject({ method: 'GET', url: '/api/designs/ana/press/versions/latest' })).json().version).toBe(
      '1.0.0',
    );
    await expect(yankAnyVersion(db(), 'ana/press@1.1.0')).rejects.toThrow('already yanked');
  });

  it('gc deletes only unreferenced blobs older than the grace period', async () => {
    const store = t.deps.blobs;
    const orphan = await store.putBuffer(Buffer.from('uploaded, publish failed'));
    const rowOnly = await store.putBuffer(Buffer.from('row but no reference'));
    await t.deps.db.raw('insert into blobs (sha256, size) values ($1, $2)', [rowOnly.sha256, rowOnly.size]);
    const preview = await store.putBuffer(Buffer.from('a derivative'));
    await t.deps.db.raw('insert into blobs (sha256, size) values ($1, $2)', [preview.sha256, preview.size]);
    await t.deps.db.raw(
      `insert into derivatives (subject_key, renderer_version, kind, variant, sha256) values ('x', 'r1', 'preview-png', '512', $1)`,
      [preview.sha256],
    );

    const young = await collectGarbage(t.deps.db, store, { graceHours: 24 });
    expect(young.deleted).toEqual([]);
    expect(young.tooYoung).toBe(2);

    const dry = await collectGarbage(t.deps.db, store, { graceHours: 24, dryRun: true, now: hoursLater(25) });
    expect(dry.deleted.map((b) => b.sha256).sort()).toEqual([orphan.sha256, rowOnly.sha256].sort());
    expect(await store.has(orphan.sha256)).toBe(true);

    const r = await collectGarbage(t.deps.db, store, { graceHours: 24, now: hoursLater(25) });
    expect(r.deleted.map((b) => b.sha256).sort()).toEqual([orphan.sha256, rowOnly.sha256].sort());
    expect(await store.has(orphan.sha256)).toBe(false);
    expect(await store.has(rowOnly.sha256)).toBe(false);
    expect(
      (await t.deps.db.raw('select count(*)::int as n from blobs where sha256 = $1', [rowOnly.sha256])).rows[0].n,
    ).toBe(0);
    for (const kept of [sha('kept file'), sha('Qty,Name\n1,Frame\n'), preview.sha256])
      expect(await store.has(kept)).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: '/api/designs/ana/press/versions/1.0.0/files/a.txt' })).body).toBe(
      'kept file',
    );
  });

  it('verify re-hashes every blob and reports a corrupted one', async () => {
    const clean = await verifyBlobs(t.deps.db, t.deps.blobs);
    expect(clean.mismatches).toEqual([]);
    expect(clean.missing).toEqual([]);
    const target = sha('kept file');
    const path = join(t.deps.config.dataDir, 'blobs', target.slice(0, 2), target.slice(2, 4), target);
    writeFileSync(path, 'kept fil3');
    const bad = await verifyBlobs(t.deps.db, t.deps.blobs);
    expect(bad.checked).toBe(clean.checked);
    expect(bad.mismatches).toEqual([{ sha256: target, actual: sha('kept fil3') }]);
    // and through the CLI program: a finding is a non-zero exit
    const lines: string[] = [];
    const { program, exitCode } = adminProgram(t.deps, (l) => lines.push(l));
    await program.parseAsync(['verify'], { from: 'user' });
    expect(exitCode()).toBe(1);
    expect(lines[0]).toBe(`MISMATCH ${target}: its bytes hash to ${sha('kept fil3')}`);
    writeFileSync(path, 'kept file');
  });

  it('reprocess --all queues every version again', async () => {
    const before = (await t.deps.db.raw(`select count(*)::int as n from jobs where kind = 'ingest-version'`)).rows[0].n;
    const r = await reprocessAll(db(), t.deps.pipeline!);
    expect(r.versions).toBe(2);
    const after = (await t.deps.db.raw(`select count(*)::int as n from jobs where kind = 'ingest-version'`)).rows[0].n;
    expect(after - before).toBe(2);
  });
});

describe('npm run admin in a child process', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'andecha-admin-'));
    const deps = await openRuntime(testConfig({ dataDir }));
    await registerAccount(deps.db.db, { handle: 'olga', email: 'olga@example.org', password: 'correct horse battery' });
    await registerAccount(deps.db.db, {
      handle: 'maker',
      email: 'maker@example.org',
      password: 'correct horse battery',
    });
    await closeRuntime(deps);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('lists the users of the PGlite data folder it is pointed at', async () => {
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'admin', '--', 'users'], {
      env: { ...process.env, ANDECHA_DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
      timeout: 60_000,
    });
    const rows = stdout
      .trim()
      .split('\n')
      .map((l) => l.split('\t').slice(0, 3));
    expect(rows).toEqual([
      ['olga', 'olga@example.org', 'admin'],
      ['maker', 'maker@example.org', 'user'],
    ]);
  });

  it('sets the password piped to `set-password`', async () => {
    const run = promisify(execFile)('npm', ['run', '--silent', 'admin', '--', 'set-password', 'maker'], {
      env: { ...process.env, ANDECHA_DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
      timeout: 60_000,
    });
    run.child.stdin!.end('piped new password\n');
    expect((await run).stdout.trim()).toBe('maker: password set; its sessions are ended');
    const deps = await openRuntime(testConfig({ dataDir, loadSamples: false }));
    try {
      await expect(logIn(deps.db.db, { login: 'maker', password: 'piped new password' })).resolves.toHaveProperty(
        'token',
      );
      await expect(logIn(deps.db.db, { login: 'maker', password: 'correct horse battery' })).rejects.toThrow(
        'The login or the password is wrong',
      );
    } finally {
      await closeRuntime(deps);
    }
  });
});
