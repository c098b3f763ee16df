// The one upload intake (publish, build photos, import): a refused request keeps no byte on disk, its bytes count
// against the refused-upload allowance (429 past it), photos the account already stores cost no quota, the photo
// limit says how many more fit, and gc clears temporary uploads a killed process left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { databaseKinds } from '../helpers/databases.js';
import {
  createDesign,
  createTestApp,
  formPayload,
  isProblem,
  publish,
  registerUser,
  type TestApp,
  type TestUser,
} from '../helpers/app.js';
import { collectGarbage } from '../../server/src/admin/gc.js';
import { zip } from '../interop/fixtures.js';

const KB = 1024;

/** Bytes under a folder, every file counted (blobs and tmp/). */
function diskBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? diskBytes(p) : statSync(p).size;
  }
  return n;
}

/** A PNG of noise (does not compress): about `side`² × 3 bytes. */
async function noisePng(seed: number, side = 96): Promise<Buffer> {
  let x = seed;
  const px = Buffer.from(
    Array.from({ length: side * side * 3 }, () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24),
  );
  return sharp(px, { raw: { width: side, height: side, channels: 3 } })
    .png()
    .toBuffer();
}

async function createWorkshop(t: TestApp, user: TestUser, slug: string) {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/workshops',
    headers: user.auth,
    payload: { slug, name: slug, place: { city: 'Oviedo', country: 'ES' }, processes: [] },
  });
  expect(r.statusCode, r.body).toBe(201);
}

/** Sends a multipart form built part by part, in the order given. */
async function sendForm(
  t: TestApp,
  user: TestUser,
  url: string,
  parts: [string, string | { bytes: Uint8Array | string; name: string }][],
  remoteAddress?: string,
) {
  const fd = new FormData();
  for (const [name, value] of parts)
    if (typeof value === 'string') fd.append(name, value);
    else fd.append(name, new Blob([value.bytes as BlobPart]), value.name);
  const { payload, headers } = await formPayload(fd);
  return t.app.inject({
    method: 'POST',
    url,
    headers: { ...headers, ...user.auth },
    payload,
    ...(remoteAddress ? { remoteAddress } : {}),
  });
}

describe.each(databaseKinds)('upload intake on %s', (kind) => {
  describe('refused uploads', () => {
    let t: TestApp;
    let ana: TestUser;
    let bo: TestUser;
    let blobsDir: string;
    const kept = randomBytes(100 * KB);

    beforeAll(async () => {
      t = await createTestApp(kind, { quotaBytes: 2 * 1024 * KB, refusedUploadBytesPerHour: 0 });
      ana = await registerUser(t.app);
      bo = await registerUser(t.app);
      await createDesign(t.app, ana, 'press');
      await createWorkshop(t, ana, 'ana-shop');
      const r = await publish(t.app, ana, ana.handle, 'press', { version: '1.0.0' }, [
        { path: 'keep.bin', bytes: kept },
      ]);
      expect(r.statusCode, r.body).toBe(201);
      blobsDir = join(t.deps.config.dataDir, 'blobs');
    });
    afterAll(async () => {
      await t?.close();
    });

    it('a refused publish, report or import leaves the blob store as it was (growth 0), published blobs kept', async () => {
      const before = diskBytes(blobsDir);
      const versions = `/api/designs/${ana.handle}/press/versions`;
      const growth: Record<string, number> = {};
      const refusals: [string, number, () => Promise<{ statusCode: number; body: string }>][] = [
        [
          'bad manifest sent after the files',
          400,
          () =>
            sendForm(t, ana, versions, [
              ['files', { bytes: kept, name: 'keep.bin' }],
              ['files', { bytes: randomBytes(300 * KB), name: 'new.bin' }],
              ['manifest', JSON.stringify({ version: 'not a version' })],
            ]),
        ],
        [
          'version already published',
          409,
          () =>
            sendForm(t, ana, versions, [
              ['manifest', JSON.stringify({ version: '1.0.0' })],
              ['files', { bytes: randomBytes(200 * KB), name: 'other.bin' }],
            ]),
        ],
        [
          'past the storage quota',
          413,
          () =>
            sendForm(t, ana, versions, [
              ['manifest', JSON.stringify({ version: '1.1.0' })],
              ['files', { bytes: randomBytes(1024 * KB), name: 'a.bin' }],
              ['files', { bytes: randomBytes(1200 * KB), name: 'b.bin' }],
            ]),
        ],
        [
          'photos from a non-member before the report field',
          403,
          async () =>
            sendForm(t, bo, `${versions}/1.0.0/builds`, [
              ['photos', { bytes: await noisePng(7), name: 'p1.png' }],
              ['photos', { bytes: await noisePng(8), name: 'p2.png' }],
              ['report', JSON.stringify({ workshop: 'ana-shop', outcome: 'success' })],
            ]),
        ],
        [
          'an import past the quota',
          413,
          () =>
            sendForm(t, ana, '/api/import', [
              [
                'files',
                {
                  name: 'big.zip',
                  bytes: zip({
                    'big/okh.toml': 'okhv = "OKH-LOSHv1.0"\nname = "Big"\nversion = "1.0.0"\n',
                    'big/a.bin': randomBytes(1024 * KB),
                    'big/b.bin': randomBytes(1200 * KB),
                  }),
                },
              ],
            ]),
        ],
      ];
      for (const [what, status, send] of refusals) {
        const start = diskBytes(blobsDir);
        const r = await send();
        expect(r.statusCode, `${what}: ${r.body}`).toBe(status);
        growth[what] = diskBytes(blobsDir) - start;
      }
      console.log('blob store growth after refused uploads (bytes):', growth);
      expect(Object.values(growth)).toEqual(refusals.map(() => 0));
      expect(diskBytes(blobsDir)).toBe(before);
      // the bytes a published version holds survive a refused request that sent them again
      const file = await t.app.inject({ url: `${versions}/1.0.0/files/keep.bin` });
      expect(file.statusCode).toBe(200);
      expect(file.rawPayload.equals(kept)).toBe(true);
      // and nothing was written: no 1.1.0, no report
      expect((await t.app.inject({ url: `${versions}/1.1.0` })).statusCode).toBe(404);
      expect((await t.deps.db.raw('select count(*)::int as n from build_reports')).rows[0].n).toBe(0);
    });
  });

  describe('the refused-upload allowance', () => {
    let t: TestApp;
    let ana: TestUser;
    let bo: TestUser;

    beforeAll(async () => {
      t = await createTestApp(kind, { refusedUploadBytesPerHour: 512 * KB });
      ana = await registerUser(t.app);
      bo = await registerUser(t.app);
      await createDesign(t.app, ana, 'press');
      await createDesign(t.app, bo, 'loom');
    });
    afterAll(async () => {
      await t?.close();
    });

    it('counts refused bytes per account and per address: past the allowance 429 with Retry-After', async () => {
      const url = (u: TestUser, slug: string) => `/api/designs/${u.handle}/${slug}/versions`;
      const refused = await sendForm(
        t,
        ana,
        url(ana, 'press'),
        [
          ['files', { bytes: randomBytes(600 * KB), name: 'a.bin' }],
          ['manifest', '{"version": "1.0.0", "licenses": 12}'],
        ],
        '10.0.0.1',
      );
      expect(refused.statusCode, refused.body).toBe(400);
      const good: [string, string][] = [['manifest', JSON.stringify({ version: '1.0.0' })]];
      // the same account from another address, and another account from the same address: both held back
      for (const [user, slug, address] of [
        [ana, 'press', '10.0.0.2'],
        [bo, 'loom', '10.0.0.1'],
      ] as const) {
        const r = await sendForm(t, user, url(user, slug), good, address);
        expect(r.statusCode, r.body).toBe(429);
        expect(isProblem(r)).toBe(true);
        expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
        expect(Number(r.headers['retry-after'])).toBeLessThanOrEqual(3600);
        expect(r.json().detail).toMatch(/refused/);
      }
      // another account from another address is not
      expect((await sendForm(t, bo, url(bo, 'loom'), good, '10.0.0.3')).statusCode).toBe(201);
      // an import read whole and refused before anything is stored (a broken zip) counts too
      const cy = await registerUser(t.app);
      const brokenZip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(600 * KB)]);
      const broken = await sendForm(t, cy, '/api/import', [['files', { bytes: brokenZip, name: 'p.zip' }]], '10.0.0.4');
      expect(broken.statusCode, broken.body).toBe(422);
      const after = await sendForm(
        t,
        cy,
        '/api/import',
        [['files', { bytes: 'name: x', name: 'okh.yml' }]],
        '10.0.0.5',
      );
      expect(after.statusCode, after.body).toBe(429);
    });
  });

  describe('build photos and the quota', () => {
    let t: TestApp;
    let ana: TestUser;
    let photo: Buffer;

    beforeAll(async () => {
      photo = await noisePng(42);
      // room for the photo once, not twice
      t = await createTestApp(kind, { quotaBytes: photo.length + 10 * KB });
      ana = await registerUser(t.app);
      await createDesign(t.app, ana, 'press');
      await createWorkshop(t, ana, 'ana-shop');
    });
    afterAll(async () => {
      await t?.close();
    });

    const report = (photos: Buffer[], url = `/api/designs/${ana.handle}/press/versions/1.0.0/builds`) =>
      sendForm(t, ana, url, [
        ...(url.endsWith('/builds') ? [['report', JSON.stringify({ workshop: 'ana-shop', outcome: 'success' })]] : []),
        ...photos.map((bytes, i) => ['photos', { bytes, name: `p${i}.png` }]),
      ] as [string, string | { bytes: Buffer; name: string }][]);

    it('a photo the account already stores (as a published file) costs no quota again', async () => {
      const r = await publish(t.app, ana, ana.handle, 'press', { version: '1.0.0' }, [
        { path: 'images/build.png', bytes: photo },
      ]);
      expect(r.statusCode, r.body).toBe(201);
      const built = await report([photo]);
      expect(built.statusCode, built.body).toBe(201);
      // a photo new to the account still counts
      const over = await report([await noisePng(43)]);
      expect(over.statusCode, over.body).toBe(413);
      expect(over.json()).toMatchObject({ quota: true });
    });

    it('adding photos past 30 says how many the report has and how many more fit', async () => {
      const tiny = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#808080' } })
        .png()
        .toBuffer();
      const first = await report(Array.from({ length: 29 }, () => tiny));
      expect(first.statusCode, first.body).toBe(201);
      const more = await report([tiny, tiny], `/api/builds/${first.json().id}/photos`);
      expect(more.statusCode, more.body).toBe(413);
      expect(more.json().detail).toBe(
        'A build report holds at most 30 photos; this one has 29, so 1 more can be added',
      );
      const one = await report([tiny], `/api/builds/${first.json().id}/photos`);
      expect(one.statusCode, one.body).toBe(201);
      expect(one.json().photos).toHaveLength(30);
    });
  });

  describe('gc', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(kind);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('clears temporary uploads a killed process left in tmp/, once older than the grace period', async () => {
      const tmp = join(t.deps.config.dataDir, 'blobs', 'tmp');
      const abandoned = join(tmp, randomUUID());
      const live = join(tmp, randomUUID());
      writeFileSync(abandoned, randomBytes(256 * KB));
      writeFileSync(live, randomBytes(KB));
      const twoDaysAgo = new Date(Date.now() - 48 * 3600_000);
      utimesSync(abandoned, twoDaysAgo, twoDaysAgo);
      const dry = await collectGarbage(t.deps.db, t.deps.blobs, { graceHours: 24, dryRun: true });
      expect(dry.abandonedUploads).toEqual({ count: 1, bytes: 256 * KB });
      expect(readdirSync(tmp).sort()).toEqual([abandoned, live].map((p) => p.split('/').pop()).sort());
      const r = await collectGarbage(t.deps.db, t.deps.blobs, { graceHours: 24 });
      expect(r.abandonedUploads).toEqual({ count: 1, bytes: 256 * KB });
      expect(readdirSync(tmp)).toEqual([live.split('/').pop()]);
    });
  });
});
