// Hostile files through the real API with the worker running: each is refused at upload or fails its own job with
// a reason a maker can read, within 5 s, with the server's memory bounded, and the server keeps serving after it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { strToU8, zipSync } from 'fflate';
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
import { threeMfModelXml, zip3mf } from '../../server/src/cad/write/index.js';
import { cubeMesh } from '../fixtures/cad.js';
import { dxf, dxfDocument } from '../fixtures/dxf.js';
import { pngClaiming, svgPhoto } from '../fixtures/photos.js';
import { glbOf } from '../fixtures/glb.js';

const maxFileBytes = 32 * 1024 * 1024;
const MB = 1024 * 1024;

/** A GLB whose JSON declares a 2 GB buffer in a file of a hundred bytes. */
function glbHugeBuffer(): Uint8Array {
  return glbOf(JSON.stringify({ asset: { version: '2.0' }, buffers: [{ byteLength: 2 ** 31 }] }).padEnd(80, ' '));
}

/** Blocks that each insert the previous one twice, 40 deep: 2^40 copies if expanded naively. */
function nestedBlocksDxf(): string {
  const blocks = [{ name: 'B0', entities: [dxf.line(0, 0, 1, 1)] }];
  for (let i = 1; i <= 40; i++)
    blocks.push({ name: `B${i}`, entities: [dxf.insert(`B${i - 1}`, 0, 0), dxf.insert(`B${i - 1}`, 1, 0)] });
  return dxfDocument([dxf.insert('B40', 0, 0)], { blocks });
}

/** A few hundred bytes: a 1000 × 1000 insert array of a block that is a 1000 × 1000 array of `inner` (10^12 copies). */
function insertArrayBombDxf(inner: string): string {
  return dxfDocument([dxf.insertArray('B', 1000, 1000)], {
    blocks: [
      { name: 'A', entities: [inner] },
      { name: 'B', entities: [dxf.insertArray('A', 1000, 1000)] },
    ],
  });
}

/** An open polyline of `n` vertices: plain to read, but its parse holds millions of small strings and objects. */
function longPolylineDxf(n: number): string {
  const pts: [number, number][] = [];
  for (let i = 0; i < n; i++) pts.push([i % 1000, Math.floor(i / 1000)]);
  return dxfDocument([dxf.lwpolyline(pts)]);
}

/** An endless ASCII STL, generated as it is read; counts what was pulled. */
function endlessAsciiStl(limitBytes: number) {
  const facet = Buffer.from(
    'facet normal 0 0 1\n outer loop\n  vertex 0 0 0\n  vertex 1 0 0\n  vertex 0 1 0\n endloop\nendfacet\n'.repeat(
      2000,
    ),
  );
  const state = { pulled: 0 };
  const stream = new Readable({
    read() {
      if (state.pulled >= limitBytes) {
        this.push(null);
        return;
      }
      state.pulled += facet.length;
      this.push(state.pulled === facet.length ? Buffer.concat([Buffer.from('solid big\n'), facet]) : facet);
    },
  });
  return { stream, state };
}

describe('hostile files', () => {
  let t: TestApp;
  let user: TestUser;
  let baseline: number;
  let n = 0;
  const base = () => `/api/designs/${user.handle}/lab`;

  beforeAll(async () => {
    t = await createTestApp('pglite', {
      runWorker: true,
      workerThreads: 1,
      maxFileBytes,
      jobTimeoutMs: 20_000,
      logLevel: process.env.HOSTILE_LOG ?? 'silent',
    });
    user = await registerUser(t.app);
    await createDesign(t.app, user, 'lab');
    // warm the worker thread (tsx loader, readers) so timings measure the files, not the start
    const warm = await publish(t.app, user, user.handle, 'lab', { version: '0.0.1' }, [
      { path: 'cube.3mf', bytes: zip3mf(threeMfModelXml(cubeMesh())) },
    ]);
    expect(warm.statusCode).toBe(201);
    await settle('0.0.1', 'cube.3mf', 30_000);
    baseline = process.memoryUsage().rss;
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  async function settle(version: string, path: string, timeoutMs = 5_000) {
    const t0 = Date.now();
    for (;;) {
      const doc = (await t.app.inject({ url: `${base()}/versions/${version}` })).json();
      const f = doc.files.find((x: any) => x.path === path);
      if (f.pipeline.state === 'done' || f.pipeline.state === 'failed') return { ...f.pipeline, ms: Date.now() - t0 };
      if (Date.now() - t0 > timeoutMs) return { state: `still ${f.pipeline.state}`, ms: Date.now() - t0 };
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** The server still answers and its memory grew less than 300 MB over the run. */
  async function stillServing() {
    expect((await t.app.inject({ url: base() })).statusCode).toBe(200);
    expect((process.memoryUsage().rss - baseline) / MB).toBeLessThan(300);
  }

  const failingFiles: [string, string, () => Uint8Array | string, RegExp][] = [
    [
      'a 3MF zip bomb',
      'bomb.3mf',
      () => zipSync({ '3D/3dmodel.model': new Uint8Array(200 * MB) }, { level: 9 }),
      /compression ratio of [\d,]+:1|unpacks to/,
    ],
    [
      'an FCStd zip bomb',
      'bomb.FCStd',
      () =>
        zipSync({ 'Document.xml': strToU8('<Document/>'), 'PartShape.brp': new Uint8Array(200 * MB) }, { level: 9 }),
      /compression ratio of [\d,]+:1|unpacks to/,
    ],
    [
      'a 3MF entry named ../x',
      'escape.3mf',
      () => zip3mf(threeMfModelXml(cubeMesh()), { '../x': strToU8('x') }),
      /"\.\.\/x"/,
    ],
    [
      'a binary STL header claiming 2^31 triangles',
      'huge.stl',
      () => {
        const b = Buffer.alloc(84 + 500);
        b.writeUInt32LE(2 ** 31, 80);
        return b;
      },
      /2,147,483,648 triangles/,
    ],
    [
      'a PLY declaring 10^12 vertices',
      'huge.ply',
      () =>
        'ply\nformat binary_little_endian 1.0\nelement vertex 1000000000000\nproperty float x\nproperty float y\nproperty float z\nend_header\n',
      /1,000,000,000,000 vertices/,
    ],
    ['a GLB with a 2 GB buffer length', 'huge.glb', glbHugeBuffer, /buffer 0 declares 2\.0 GB/],
    [
      'an OBJ with indices of 10^9',
      'huge.obj',
      () => 'v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1000000000 1000000001 1000000002\n',
      /vertex index 1000000000/,
    ],
    [
      'a DXF with blocks nested 40 deep',
      'nested.dxf',
      nestedBlocksDxf,
      /nests blocks more than \d+ deep|more than [\d,]+ points/,
    ],
    [
      'a DXF of nested 1000 × 1000 insert arrays around a POINT',
      'point-bomb.dxf',
      () => insertArrayBombDxf(dxf.point(0, 0)),
      /expands to more than [\d,]+ points/,
    ],
    [
      'a DXF of nested 1000 × 1000 insert arrays around a TEXT',
      'text-bomb.dxf',
      () => insertArrayBombDxf(dxf.text(0, 0, 1, 'x')),
      /expands to more than [\d,]+ points/,
    ],
  ];

  it.each(failingFiles)(
    '%s fails its own job with a readable reason',
    async (_what, path, make, reason) => {
      const version = `1.0.${n++}`;
      const r = await publish(t.app, user, user.handle, 'lab', { version }, [
        { path, bytes: make() },
        { path: 'README.md', bytes: '# ok' },
      ]);
      expect(r.statusCode, r.body).toBe(201);
      const s = await settle(version, path);
      expect(s.state).toBe('failed');
      expect(s.error).toMatch(reason);
      expect(s.ms).toBeLessThan(5_000);
      // one hostile file never fails the version's other files
      expect((await settle(version, 'README.md')).state).toBe('done');
      await stillServing();
    },
    30_000,
  );

  it('a 2 GB ASCII STL is refused once it passes the file limit, streamed, not buffered', async () => {
    const { stream, state } = endlessAsciiStl(2 * 1024 * MB);
    const boundary = 'hostileboundary';
    const head = `--${boundary}\r\ncontent-disposition: form-data; name="manifest"\r\n\r\n{"version":"2.0.0"}\r\n--${boundary}\r\ncontent-disposition: form-data; name="files"; filename="big.stl"\r\ncontent-type: model/stl\r\n\r\n`;
    const body = Readable.from(
      (async function* () {
        yield Buffer.from(head);
        yield* stream;
        yield Buffer.from(`\r\n--${boundary}--\r\n`);
      })(),
    );
    const t0 = Date.now();
    const r = await streamOverHttp(
      `${base()}/versions`,
      { ...user.auth, 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
    );
    // 413, or (status 0) the connection closed on us mid-body, which is the same refusal seen from the client
    expect([413, 0], r.body).toContain(r.status);
    expect(JSON.parse(r.body).detail).toMatch(/File "big.stl" is larger than the limit of 33554432 bytes|^closed: /);
    expect(Date.now() - t0).toBeLessThan(5_000);
    // stopped reading soon after the limit: not 2 GB
    expect(state.pulled).toBeLessThan(maxFileBytes * 4);
    expect((await t.app.inject({ url: `${base()}/versions/2.0.0` })).statusCode).toBe(404);
    // only a refused body closes its connection: an ordinary error answer keeps it alive
    const miss = await fetch(
      `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/api/designs/nobody/nothing`,
    );
    expect(miss.status).toBe(404);
    expect(miss.headers.get('connection')).toBe('keep-alive');
    await stillServing();
  }, 30_000);

  it('a file path ../x (and other escapes) is refused at upload', async () => {
    for (const path of ['../x', 'a/../../x', '/etc/passwd', 'C:\\x', 'a\u0000b']) {
      const r = await publish(t.app, user, user.handle, 'lab', { version: '3.0.0' }, [{ path, bytes: 'x' }]);
      expect(r.statusCode, `${JSON.stringify(path)}: ${r.body}`).toBe(400);
      expect(isProblem(r)).toBe(true);
    }
    await stillServing();
  });

  it('a BOM named ../../../../tmp/x.sh (zip slip into archive.zip) is refused like a file path, nothing stored', async () => {
    for (const name of ['../../../../tmp/x.sh', 'bom/../../x.csv', '/tmp/x.csv']) {
      const r = await publish(t.app, user, user.handle, 'lab', { version: '3.1.0' }, [], {
        name,
        bytes: 'Qty,Name\n2,Bolt\n',
      });
      expect(r.statusCode, `${name}: ${r.body}`).toBe(400);
      expect(r.json()).toMatchObject({ type: expect.stringContaining('bad-path'), errors: [{ field: 'bom' }] });
    }
    // a kept BOM named by path goes through the same check
    const fd = new FormData();
    fd.append('manifest', JSON.stringify({ version: '3.1.0' }));
    fd.append('existingBom', JSON.stringify({ path: '../../../x.sh', sha256: 'a'.repeat(64) }));
    const { payload, headers } = await formPayload(fd);
    const kept = await t.app.inject({
      method: 'POST',
      url: `${base()}/versions`,
      headers: { ...headers, ...user.auth },
      payload,
    });
    expect(kept.statusCode, kept.body).toBe(400);
    expect(kept.json()).toMatchObject({ errors: [{ field: 'existingBom' }] });
    expect((await t.app.inject({ url: `${base()}/versions/3.1.0` })).statusCode).toBe(404);
    await stillServing();
  });

  it('a name holding a bidirectional control (U+202E "gpj.exe") is refused with a 400 saying why, for files, BOMs and photos', async () => {
    for (const bidi of ['\u202e', '\u202a', '\u2066', '\u200f']) {
      const asFile = await publish(t.app, user, user.handle, 'lab', { version: '3.2.0' }, [
        { path: `cad/invoice${bidi}gpj.exe`, bytes: 'x' },
      ]);
      expect(asFile.statusCode, asFile.body).toBe(400);
      expect(asFile.json().detail).toMatch(/bidirectional control/);
      const asBom = await publish(t.app, user, user.handle, 'lab', { version: '3.2.0' }, [], {
        name: `bom${bidi}vsc.csv`,
        bytes: 'Qty,Name\n2,Bolt\n',
      });
      expect(asBom.statusCode, asBom.body).toBe(400);
      expect(asBom.json()).toMatchObject({ errors: [{ field: 'bom' }] });
    }
    const shop = await t.app.inject({
      method: 'POST',
      url: '/api/workshops',
      headers: user.auth,
      payload: { slug: 'bidi-shop', name: 'Bidi', place: { city: 'Xixón', country: 'ES' }, processes: [] },
    });
    expect(shop.statusCode, shop.body).toBe(201);
    const fd = new FormData();
    fd.append('report', JSON.stringify({ workshop: 'bidi-shop', outcome: 'success' }));
    fd.append('photos', new Blob([new Uint8Array(pngClaiming(8, 8))], { type: 'image/png' }), 'build\u202egnp.exe');
    const { payload, headers } = await formPayload(fd);
    const photo = await t.app.inject({
      method: 'POST',
      url: `${base()}/versions/0.0.1/builds`,
      headers: { ...headers, ...user.auth },
      payload,
    });
    expect(photo.statusCode, photo.body).toBe(400);
    expect(photo.json()).toMatchObject({
      errors: [{ field: 'photos', message: expect.stringMatching(/bidirectional/) }],
    });
    expect((await t.app.inject({ url: `${base()}/versions/3.2.0` })).statusCode).toBe(404);
    await stillServing();
  });

  it('a PNG declaring 100,000 × 100,000 as a design image fails its job without decoding', async () => {
    const r = await publish(t.app, user, user.handle, 'lab', { version: '4.0.0' }, [
      { path: 'images/huge.png', bytes: pngClaiming(100_000, 100_000) },
    ]);
    expect(r.statusCode, r.body).toBe(201);
    const s = await settle('4.0.0', 'images/huge.png');
    expect(s.ms).toBeLessThan(5_000);
    // refused from its header, or kept as a file without previews: never decoded into 10^10 pixels
    if (s.state === 'failed') expect(s.error).toMatch(/pixels|too large|limit/i);
    else expect(s.state).toBe('done');
    await stillServing();
  }, 30_000);

  describe('build photos', () => {
    let maker: TestUser;
    beforeAll(async () => {
      maker = await registerUser(t.app);
      const w = await t.app.inject({
        method: 'POST',
        url: '/api/workshops',
        headers: maker.auth,
        payload: { slug: 'hostile-ws', name: 'H', place: { city: 'Avilés', country: 'ES' }, processes: [] },
      });
      expect(w.statusCode).toBe(201);
    });

    async function report(name: string, bytes: Buffer) {
      const fd = new FormData();
      fd.append('report', JSON.stringify({ workshop: 'hostile-ws', outcome: 'success' }));
      fd.append('photos', new Blob([bytes as BlobPart]), name);
      const { payload, headers } = await formPayload(fd);
      return t.app.inject({
        method: 'POST',
        url: `${base()}/versions/0.0.1/builds`,
        headers: { ...headers, ...maker.auth },
        payload,
      });
    }

    it.each([
      ['an SVG', 'photo.jpg', svgPhoto, 415],
      ['HTML', 'photo.png', Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>'), 415],
      ['a PNG declaring 100,000 × 100,000', 'huge.png', pngClaiming(100_000, 100_000), 413],
    ] as const)('%s as a build photo is refused (%s) with no report written', async (_what, name, bytes, status) => {
      const before = (await t.deps.db.raw('select count(*)::int as n from build_reports')).rows[0].n;
      const t0 = Date.now();
      const r = await report(name, bytes);
      expect(r.statusCode, r.body).toBe(status);
      expect(isProblem(r)).toBe(true);
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect((await t.deps.db.raw('select count(*)::int as n from build_reports')).rows[0].n).toBe(before);
      await stillServing();
    });
  });

  async function publishBom(version: string, bom: Buffer | string) {
    const t0 = Date.now();
    const r = await publish(t.app, user, user.handle, 'lab', { version }, [{ path: 'README.md', bytes: '#' }], {
      name: 'bom.csv',
      bytes: bom,
    });
    return { r, ms: Date.now() - t0 };
  }

  /** Streams a multipart body over real HTTP (inject cannot show whether the server stops reading). */
  async function streamOverHttp(path: string, headers: Record<string, string>, body: Readable) {
    const address = await t.app
      .listen({ port: 0, host: '127.0.0.1' })
      .catch(() => `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`);
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(`${address}${path}`, { method: 'POST', headers });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (d) => {
          text += d;
        });
        res.on('end', () => {
          body.destroy();
          req.destroy();
          resolve({ status: res.statusCode!, body: text });
        });
      });
      // the server may close the connection while we are still writing (it refused the body): that is a refusal too
      req.on('error', (e: any) => {
        body.destroy();
        if (['EPIPE', 'ECONNRESET'].includes(e.code))
          setTimeout(() => resolve({ status: 0, body: JSON.stringify({ detail: `closed: ${e.code}` }) }), 50);
        else reject(e);
      });
      body.on('error', () => {});
      body.pipe(req);
    });
  }

  describe('BOMs', () => {
    it('a CSV BOM with 10^6 columns is refused (422) quickly, at publish and in the parse preview', async () => {
      const wide = 'Qty,Name,' + Array.from({ length: 1_000_000 }, (_, i) => `c${i}`).join(',') + '\n1,Bolt\n';
      const { r, ms } = await publishBom('5.0.0', wide);
      expect(r.statusCode, r.body.slice(0, 300)).toBe(422);
      expect(r.json().detail).toMatch(/has 1,000,002 columns, over the limit of 1,000|characters long, over the limit/);
      expect(ms).toBeLessThan(5_000);
      const fd = new FormData();
      fd.append('bom', new Blob([wide]), 'bom.csv');
      const { payload, headers } = await formPayload(fd);
      const p = await t.app.inject({ method: 'POST', url: '/api/bom/parse', headers, payload });
      expect(p.statusCode).toBe(422);
      await stillServing();
    }, 30_000);

    it('a 20 MB single-line BOM is refused (422) without parsing it', async () => {
      const line = Buffer.alloc(20 * MB, 'a');
      const { r, ms } = await publishBom('5.1.0', line);
      expect(r.statusCode, r.body.slice(0, 300)).toBe(422);
      expect(r.json().detail).toBe(
        'The BOM "bom.csv" cannot be used: line 1 is 20,971,520 characters long, over the limit of 262,144',
      );
      expect(ms).toBeLessThan(5_000);
      await stillServing();
    }, 30_000);

    it('sub-assemblies nested 20,000 deep are refused (400, the depth limit named) at publish and in the preview', async () => {
      // written out by hand: JSON.stringify itself recurses
      const json =
        '{"lines":[' +
        '{"name":"Level","quantity":1,"children":['.repeat(20_000) +
        '{"name":"Leaf","quantity":1}' +
        ']}'.repeat(20_000) +
        ']}';
      const versions = (await t.deps.db.raw('select count(*)::int as n from design_versions')).rows[0].n;
      const r = await publish(
        t.app,
        user,
        user.handle,
        'lab',
        { version: '5.2.0' },
        [{ path: 'README.md', bytes: '#' }],
        {
          name: 'bom.json',
          bytes: json,
        },
      );
      expect(r.statusCode, r.body.slice(0, 300)).toBe(400);
      expect(r.json().detail).toMatch(/nested more than 64 levels deep; the limit is 64/);
      expect((await t.deps.db.raw('select count(*)::int as n from design_versions')).rows[0].n).toBe(versions);
      // the same by dotted positions in a CSV, anonymously in the parse preview
      const csv =
        'Pos,Name,Qty\n' +
        Array.from(
          { length: 100 },
          (_, i) =>
            `${Array(i + 1)
              .fill('1')
              .join('.')},Part ${i},1`,
        ).join('\n');
      for (const [name, bytes] of [
        ['bom.json', json],
        ['bom.csv', csv],
      ]) {
        const fd = new FormData();
        fd.append('bom', new Blob([bytes]), name);
        const { payload, headers } = await formPayload(fd);
        const p = await t.app.inject({ method: 'POST', url: '/api/bom/parse', headers, payload });
        expect(p.statusCode, `${name}: ${p.body.slice(0, 300)}`).toBe(400);
        expect(p.json().errors[0].message).toMatch(/the limit is 64/);
      }
      await stillServing();
    }, 30_000);

    it('the parse preview refuses a BOM over its size limit while streaming it (413), anonymous or not', async () => {
      const { stream, state } = endlessAsciiStl(2 * 1024 * MB);
      const boundary = 'bomboundary';
      const body = Readable.from(
        (async function* () {
          yield Buffer.from(
            `--${boundary}\r\ncontent-disposition: form-data; name="bom"; filename="bom.csv"\r\n\r\nQty,Name\n`,
          );
          yield* stream;
          yield Buffer.from(`\r\n--${boundary}--\r\n`);
        })(),
      );
      const r = await streamOverHttp(
        '/api/bom/parse',
        { 'content-type': `multipart/form-data; boundary=${boundary}` },
        body,
      );
      expect([413, 0], r.body.slice(0, 300)).toContain(r.status);
      expect(state.pulled).toBeLessThan(200 * MB);
      await stillServing();
    }, 30_000);
  });

  describe('invalid UTF-8', () => {
    const bad = Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1]);

    it('in a manifest: refused as invalid JSON text (400), not stored as garbage', async () => {
      const manifest = Buffer.concat([Buffer.from('{"version":"6.0.0","changelog":"'), bad, Buffer.from('"}')]);
      const fd = new FormData();
      fd.append('manifest', new Blob([manifest]));
      const { payload, headers } = await formPayload(fd);
      const r = await t.app.inject({
        method: 'POST',
        url: `${base()}/versions`,
        headers: { ...headers, ...user.auth },
        payload,
      });
      expect([400, 201]).toContain(r.statusCode);
      if (r.statusCode === 201) expect(r.json().manifest.changelog).not.toContain('\u0000');
      // a NUL in the manifest (valid JSON, impossible in PostgreSQL text) is a 400, not a 500
      const nul = await publish(t.app, user, user.handle, 'lab', '{"version":"6.1.0","changelog":"a\\u0000b"}', []);
      expect(nul.statusCode, nul.body).toBe(400);
      expect(isProblem(nul)).toBe(true);
      await stillServing();
    });

    it('in a file name: refused or stored under a valid name, never a 500', async () => {
      const fd = new FormData();
      fd.append('manifest', JSON.stringify({ version: '6.2.0' }));
      fd.append('files', new Blob(['x']), 'ok.txt');
      const { payload: raw, headers } = await formPayload(fd);
      const payload = Buffer.from(
        raw
          .toString('latin1')
          .replace(
            'filename="ok.txt"',
            `filename="${Buffer.concat([Buffer.from('n'), bad, Buffer.from('.txt')]).toString('latin1')}"`,
          ),
        'latin1',
      );
      const r = await t.app.inject({
        method: 'POST',
        url: `${base()}/versions`,
        headers: { ...headers, ...user.auth },
        payload,
      });
      expect([201, 400]).toContain(r.statusCode);
      if (r.statusCode === 201)
        for (const f of r.json().files) expect(Buffer.from(f.path, 'utf8').toString('utf8')).toBe(f.path);
      await stillServing();
    });

    it('in a BOM: read with a fallback encoding and a warning, or refused; never a 500', async () => {
      const bom = Buffer.concat([Buffer.from('Qty,Name\n2,Bolt '), bad, Buffer.from('\n')]);
      const { r } = await publishBom('6.3.0', bom);
      expect([201, 422]).toContain(r.statusCode);
      await stillServing();
    });
  });

  describe('a worker thread past its heap limit', () => {
    let small: TestApp;
    let maker: TestUser;
    beforeAll(async () => {
      small = await createTestApp('pglite', {
        runWorker: true,
        workerThreads: 1,
        maxFileBytes,
        jobTimeoutMs: 20_000,
        workerHeapMb: 64,
        logLevel: 'silent',
      });
      maker = await registerUser(small.app);
      await createDesign(small.app, maker, 'heap');
    }, 60_000);
    afterAll(async () => {
      await small?.close();
    });

    async function fileOutcome(version: string, path: string) {
      const t0 = Date.now();
      for (;;) {
        const doc = (await small.app.inject({ url: `/api/designs/${maker.handle}/heap/versions/${version}` })).json();
        const f = doc.files.find((x: any) => x.path === path);
        if (f.pipeline.state === 'done' || f.pipeline.state === 'failed' || Date.now() - t0 > 30_000)
          return { ...f.pipeline, ms: Date.now() - t0 };
        await new Promise((r) => setTimeout(r, 25));
      }
    }

    it('dies alone: its file fails once (no retry) with the reason, the same bytes then fail at once, the next file is read', async () => {
      const bytes = longPolylineDxf(600_000);
      const first = await publish(small.app, maker, maker.handle, 'heap', { version: '1.0.0' }, [
        { path: 'long.dxf', bytes },
      ]);
      expect(first.statusCode, first.body).toBe(201);
      const s1 = await fileOutcome('1.0.0', 'long.dxf');
      expect(s1.state).toBe('failed');
      expect(s1.error).toMatch(/more than the limit of 64 MB of memory/);
      const { rows } = await small.deps.db.raw(`select attempts, state from jobs where kind = 'process-file'`);
      expect(rows).toEqual([{ attempts: 1, state: 'failed' }]);
      // the same bytes under another name and version: the remembered failure, without a thread
      const again = await publish(small.app, maker, maker.handle, 'heap', { version: '1.0.1' }, [
        { path: 'again/long.dxf', bytes },
        { path: 'plate.dxf', bytes: dxfDocument([dxf.circle(0, 0, 10)]) },
      ]);
      expect(again.statusCode, again.body).toBe(201);
      const s2 = await fileOutcome('1.0.1', 'again/long.dxf');
      expect([s2.state, s2.error]).toEqual(['failed', s1.error]);
      expect(s2.ms).toBeLessThan(2_000);
      // the pool started a fresh thread: the next file is read
      expect((await fileOutcome('1.0.1', 'plate.dxf')).state).toBe('done');
    }, 90_000);
  });
});
