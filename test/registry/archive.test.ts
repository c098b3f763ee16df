// archive.zip: the whole version (manifest.json, files/, bom/) streamed as a zip, on both databases and both blob stores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { unzipSync, strFromU8 } from 'fflate';
import { databaseKinds } from '../helpers/databases.js';
import {
  createDesign,
  createTestApp,
  isProblem,
  publish,
  registerUser,
  type TestApp,
  type TestUser,
} from '../helpers/app.js';
import { startS3, type TestS3 } from '../helpers/s3.js';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const stl = Uint8Array.from({ length: 40_000 }, (_, i) => (i * 7) & 255);
const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const bom = 'Part Number,Name,Qty,Unit\nP-1,Frame,2,pcs\nP-2,Bolt M8,16,pcs\n';

/** Every entry name in the zip's central directory, in order: duplicates kept (unzipSync's object would fold them). */
function centralDirectoryNames(zip: Buffer): string[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const nameLength = zip.readUInt16LE(at + 28);
    names.push(zip.subarray(at + 46, at + 46 + nameLength).toString('utf8'));
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return names;
}

const cases = [...databaseKinds.map((k) => [k, 'fs'] as const), ['pglite', 's3'] as const];

describe.each(cases)('archive.zip on %s with %s blobs', (kind, store) => {
  let t: TestApp;
  let s3: TestS3 | undefined;
  let ana: TestUser;
  beforeAll(async () => {
    if (store === 's3') s3 = await startS3();
    t = await createTestApp(kind, s3 ? { blobStore: 's3', s3: s3.s3 } : {});
    ana = await registerUser(t.app, 'ana');
    await createDesign(t.app, ana, 'press');
    const r = await publish(
      t.app,
      ana,
      'ana',
      'press',
      { version: '1.2.0', changelog: 'zip me', vendorField: 7 },
      [
        { path: 'cad/frame.stl', bytes: stl },
        { path: 'img/photo.png', bytes: png },
        { path: 'README.md', bytes: '# Press\n' },
      ],
      { name: 'parts.csv', bytes: bom },
    );
    expect(r.statusCode).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
    await s3?.close();
  });

  it('holds manifest.json, every file with its sha256, the original BOM and its CSV export', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/designs/ana/press/versions/latest/archive.zip' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/zip');
    expect(r.headers['content-disposition']).toBe('attachment; filename="ana-press-1.2.0.zip"');
    const entries = unzipSync(new Uint8Array(r.rawPayload));
    expect(Object.keys(entries).sort()).toEqual([
      'press-1.2.0/bom/bom.export.csv',
      'press-1.2.0/bom/parts.csv',
      'press-1.2.0/files/README.md',
      'press-1.2.0/files/cad/frame.stl',
      'press-1.2.0/files/img/photo.png',
      'press-1.2.0/manifest.json',
      'press-1.2.0/okh.toml',
    ]);
    expect(sha(entries['press-1.2.0/files/cad/frame.stl'])).toBe(sha(stl));
    expect(sha(entries['press-1.2.0/files/img/photo.png'])).toBe(sha(png));
    expect(strFromU8(entries['press-1.2.0/files/README.md'])).toBe('# Press\n');
    expect(strFromU8(entries['press-1.2.0/bom/parts.csv'])).toBe(bom);
    const csv = strFromU8(entries['press-1.2.0/bom/bom.export.csv']);
    expect(csv.split('\n')[0]).toContain('Part Number');
    expect(csv).toContain('Bolt M8');
    const manifest = JSON.parse(strFromU8(entries['press-1.2.0/manifest.json']));
    expect(manifest).toMatchObject({
      owner: 'ana',
      slug: 'press',
      version: '1.2.0',
      state: 'published',
      manifest: { version: '1.2.0', changelog: 'zip me', vendorField: 7 },
    });
    expect(manifest.files).toEqual([
      { path: 'files/README.md', size: 8, sha256: sha('# Press\n'), mediaType: expect.any(String) },
      { path: 'files/cad/frame.stl', size: stl.length, sha256: sha(stl), mediaType: expect.any(String) },
      { path: 'files/img/photo.png', size: png.length, sha256: sha(png), mediaType: 'image/png' },
    ]);
    expect(manifest.bom).toEqual({ path: 'bom/parts.csv', sha256: sha(bom), export: 'bom/bom.export.csv' });
  });

  it('names every entry once when the original BOM is itself called bom.csv', async () => {
    const r = await publish(
      t.app,
      ana,
      'ana',
      'press',
      { version: '1.3.0' },
      [{ path: 'README.md', bytes: '# Press\n' }],
      { name: 'bom.csv', bytes: bom },
    );
    expect(r.statusCode).toBe(201);
    const zip = await t.app.inject({ method: 'GET', url: '/api/designs/ana/press/versions/1.3.0/archive.zip' });
    const names = centralDirectoryNames(zip.rawPayload);
    expect(names.filter((name) => name.startsWith('press-1.3.0/bom/')).sort()).toEqual([
      'press-1.3.0/bom/bom.csv',
      'press-1.3.0/bom/bom.export.csv',
    ]);
    expect(new Set(names).size).toBe(names.length);
    const entries = unzipSync(new Uint8Array(zip.rawPayload));
    expect(strFromU8(entries['press-1.3.0/bom/bom.csv']!)).toBe(bom);
    expect(strFromU8(entries['press-1.3.0/bom/bom.export.csv']!)).toContain('Bolt M8');
  });

  it('answers 404 problem+json for a version that does not exist', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/designs/ana/press/versions/9.9.9/archive.zip' });
    expect(r.statusCode).toBe(404);
    expect(isProblem(r)).toBe(true);
  });
});
