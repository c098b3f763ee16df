// Download counts: each file, the archive and the build packet counted per version; HEAD, 304 and range continuations
// not counted; the table holds counts and nothing about who downloaded. On both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.js';
import { createDesign, createTestApp, publish, registerUser, type TestApp, type TestUser } from '../helpers/app.js';
import { DownloadCounter } from '../../server/src/registry/downloads.js';
import type { Executor } from '../../server/src/db/client.js';

const stl = Uint8Array.from({ length: 4000 }, (_, i) => (i * 7) & 255);
const bom = 'Part Number,Name,Qty,Unit\nP-1,Frame,2,pcs\n';

describe.each(databaseKinds)('download counts on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  const base = '/api/designs/ana/press/versions/1.0.0';
  const doc = async (version = '1.0.0') => {
    // with a token: an anonymous read could be answered from the response cache, counted before these downloads
    const r = await t.app.inject({ url: `/api/designs/ana/press/versions/${version}`, headers: ana.auth });
    expect(r.statusCode).toBe(200);
    return r.json();
  };

  beforeAll(async () => {
    t = await createTestApp(kind, { runWorker: true, workerThreads: 1 });
    ana = await registerUser(t.app, 'ana');
    await createDesign(t.app, ana, 'press');
    for (const version of ['1.0.0', '1.1.0'])
      await publish(
        t.app,
        ana,
        'ana',
        'press',
        { version },
        [
          { path: 'cad/frame.stl', bytes: stl },
          { path: 'README.md', bytes: '# Press\n' },
        ],
        { name: 'parts.csv', bytes: bom },
      );
  }, 180_000);
  afterAll(() => t?.close());

  it('starts at zero', async () => {
    const d = await doc();
    expect(d.downloads).toEqual({ files: 0, archive: 0, packet: 0, total: 0 });
    expect(d.files.map((f: { downloads: number }) => f.downloads)).toEqual([0, 0]);
  });

  it('counts each kind of download, per version and per file', async () => {
    for (let i = 0; i < 3; i++)
      expect((await t.app.inject({ url: `${base}/files/cad/frame.stl` })).statusCode).toBe(200);
    expect((await t.app.inject({ url: `${base}/files/README.md` })).statusCode).toBe(200);
    expect((await t.app.inject({ url: `${base}/archive.zip` })).statusCode).toBe(200);
    // a packet still being made (202) is not a download; the PDF once made is
    expect((await t.app.inject({ url: `${base}/packet.pdf?wait=1` })).statusCode).toBe(200);
    // `latest` counts for the version it names
    expect((await t.app.inject({ url: '/api/designs/ana/press/versions/latest/archive.zip' })).statusCode).toBe(200);

    const d = await doc();
    expect(d.downloads).toEqual({ files: 4, archive: 1, packet: 1, total: 6 });
    const byPath = Object.fromEntries(d.files.map((f: { path: string; downloads: number }) => [f.path, f.downloads]));
    expect(byPath).toEqual({ 'cad/frame.stl': 3, 'README.md': 1 });
    expect((await doc('1.1.0')).downloads).toEqual({ files: 0, archive: 1, packet: 0, total: 1 });
  }, 60_000);

  it('does not count HEAD, 304, missing files, a page’s own reads, or a range that continues a download', async () => {
    const before = (await doc()).downloads.files;
    const url = `${base}/files/cad/frame.stl`;
    expect((await t.app.inject({ method: 'HEAD', url })).statusCode).toBe(200);
    const first = await t.app.inject({ url, headers: { range: 'bytes=0-999' } });
    expect(first.statusCode).toBe(206);
    for (const range of ['bytes=1000-1999', 'bytes=2000-', 'bytes=-500']) {
      const r = await t.app.inject({ url, headers: { range } });
      expect(r.statusCode).toBe(206);
    }
    const etag = String(first.headers.etag);
    expect((await t.app.inject({ url, headers: { 'if-none-match': etag } })).statusCode).toBe(304);
    expect((await t.app.inject({ url: `${base}/files/cad/nothing.stl` })).statusCode).toBe(404);
    // a page showing the file (its README, the viewer's model) reads it with fetch: a view, not a download
    for (const mode of ['cors', 'same-origin', 'no-cors'])
      expect((await t.app.inject({ url, headers: { 'sec-fetch-mode': mode } })).statusCode).toBe(200);
    // the first range (from byte 0) is the download; the rest continue it
    expect((await doc()).downloads.files).toBe(before + 1);
    // a link followed in a browser (a navigation, `download` attribute or not) is a download
    expect((await t.app.inject({ url, headers: { 'sec-fetch-mode': 'navigate' } })).statusCode).toBe(200);
    expect((await doc()).downloads.files).toBe(before + 2);
  });

  it('writes the counts off the reply path: in one batch later, and all of them when the process stops', async () => {
    const total = async () =>
      (await t.deps.db.raw<{ n: number }>(`select coalesce(sum(count), 0)::int as n from version_downloads`)).rows[0].n;
    await t.deps.downloads.flush();
    const before = await total();
    for (let i = 0; i < 4; i++) expect((await t.app.inject({ url: `${base}/files/README.md` })).statusCode).toBe(200);
    // written within a second, or before a read of the version's document
    expect((await doc()).files.find((f: { path: string }) => f.path === 'README.md').downloads).toBe(5);
    await t.deps.downloads.flush();
    expect(await total()).toBe(before + 4);
    // a counter stopped cleanly writes what it still holds; a deleted version's counts go with it
    const counter = new DownloadCounter(t.deps.db.db, (err) => {
      throw err;
    });
    const [v] = (await t.deps.db.raw<{ id: string }>(`select id from design_versions where version = '1.0.0'`)).rows;
    counter.count(v.id, 'archive');
    counter.count(v.id, 'archive');
    counter.count('00000000-0000-0000-0000-000000000001', 'archive');
    await counter.close();
    expect(await total()).toBe(before + 6);
    expect((await doc()).downloads.archive).toBe(3);
  });

  it('keeps counts per day and nothing about who downloaded', async () => {
    await t.deps.downloads.flush();
    const columns = await t.deps.db.raw<{ column_name: string }>(
      `select column_name from information_schema.columns where table_name = 'version_downloads' order by column_name`,
    );
    expect(columns.rows.map((r) => r.column_name)).toEqual(['count', 'day', 'kind', 'path', 'version_id']);
    const rows = await t.deps.db.raw<{ kind: string; path: string; count: number }>(
      `select kind, path, count from version_downloads order by kind, path`,
    );
    // one row per (version, kind, path) today: a download adds to its count, never a row of its own
    expect(rows.rows.length).toBe(5);
    expect(rows.rows.find((r) => r.path === 'cad/frame.stl')?.count).toBe(5);
    expect(rows.rows.find((r) => r.path === 'README.md')?.count).toBe(5);
  });

  it('drops a version’s counts with the version', async () => {
    await t.deps.downloads.flush();
    const count = async () =>
      (await t.deps.db.raw<{ n: number }>(`select count(*)::int as n from version_downloads`)).rows[0].n;
    const before = await count();
    await t.deps.db.raw(`delete from design_versions where version = '1.1.0'`);
    expect(await count()).toBe(before - 1);
  });
});

describe('the download counter', () => {
  it('keeps the counts of a failed write for the next one', async () => {
    const written: string[] = [];
    let fail = true;
    const db = {
      execute: async () => {
        if (fail) throw new Error('database down');
        written.push('written');
      },
    } as unknown as Executor;
    const errors: unknown[] = [];
    const counter = new DownloadCounter(db, (err) => errors.push(err), 60_000);
    const id = '00000000-0000-0000-0000-0000000000aa';
    counter.count(id, 'file', 'a.stl');
    await counter.flush();
    expect(errors).toHaveLength(1);
    counter.count(id, 'file', 'a.stl');
    expect(counter.holds(id)).toBe(true);
    fail = false;
    await counter.close();
    expect(written).toHaveLength(1);
    expect(counter.holds(id)).toBe(false);
  });
});
