// How the server sends bytes: the web app's files compressed and cached by kind, missing assets a 404,
// JSON compressed, stored files and the SSE stream sent as they are.
import { readFileSync, readdirSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createDesign, publish, registerUser, type TestApp } from '../helpers/app.js';
import { schemasDir } from '../../server/src/schemas.js';

const webDist = join(schemasDir, '..', 'web', 'dist');

describe('web serving', () => {
  let t: TestApp;
  let script: string;
  let stylesheet: string;
  beforeAll(async () => {
    t = await createTestApp('pglite');
    const html = readFileSync(join(webDist, 'index.html'), 'utf8');
    script = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1];
    stylesheet = /href="(\/assets\/[^"]+\.css)"/.exec(html)![1];
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sends the hashed JS and CSS brotli or gzip compressed when accepted, cached for a year', async () => {
    const js = readFileSync(join(webDist, script));
    const br = await t.app.inject({ url: script, headers: { 'accept-encoding': 'br, gzip' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.rawPayload.length).toBeLessThan(js.length / 2);
    expect(brotliDecompressSync(br.rawPayload).equals(js)).toBe(true);

    const gz = await t.app.inject({ url: stylesheet, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['content-type']).toMatch(/^text\/css/);
    expect(gunzipSync(gz.rawPayload).equals(readFileSync(join(webDist, stylesheet)))).toBe(true);

    const plain = await t.app.inject({ url: script });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.equals(js)).toBe(true);
  });

  it("has index.html revalidated on every load, at / and on the app's own paths", async () => {
    for (const url of ['/', '/index.html', '/designs/ana/press']) {
      const r = await t.app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
      expect(r.statusCode, url).toBe(200);
      expect(r.headers['content-type'], url).toMatch(/^text\/html/);
      expect(r.headers['cache-control'], url).toBe('no-cache');
      const body = r.headers['content-encoding'] === 'gzip' ? gunzipSync(r.rawPayload).toString() : r.body;
      expect(body, url).toContain(script);
    }
  });

  it("answers 404, not the app's page, for an asset that is not there", async () => {
    expect(readdirSync(join(webDist, 'assets')).filter((f) => f.endsWith('.map'))).toEqual([]);
    for (const url of [`${script}.map`, '/assets/index-0ldHash0.js', '/assets/nothing.css?v=1']) {
      const r = await t.app.inject({ url });
      expect(r.statusCode, url).toBe(404);
      expect(r.headers['content-type'], url).toMatch(/^application\/problem\+json/);
      expect(r.headers['cache-control'], url).not.toBe('public, max-age=31536000, immutable');
    }
  });

  it('compresses JSON answers and problems, and leaves small ones as they are', async () => {
    const doc = await t.app.inject({ url: '/api/openapi.json', headers: { 'accept-encoding': 'gzip' } });
    expect(doc.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(doc.rawPayload).toString()).openapi).toMatch(/^3\./);
    const small = await t.app.inject({ url: '/healthz', headers: { 'accept-encoding': 'gzip' } });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.json()).toEqual({ status: 'ok' });
  });

  it('sends a stored file as stored: its length and byte ranges, never re-encoded', async () => {
    const ana = await registerUser(t.app, 'ana');
    await createDesign(t.app, ana, 'press');
    const readme = '# Press\n\n' + 'A lever press for the workshop, assembled from laser-cut parts. '.repeat(200);
    expect(
      (await publish(t.app, ana, 'ana', 'press', { version: '1.0.0' }, [{ path: 'README.md', bytes: readme }]))
        .statusCode,
    ).toBe(201);
    const url = '/api/designs/ana/press/versions/1.0.0/files/README.md';
    const r = await t.app.inject({ url, headers: { 'accept-encoding': 'br, gzip' } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(r.headers['content-length']).toBe(String(Buffer.byteLength(readme)));
    expect(r.body).toBe(readme);
    const part = await t.app.inject({ url, headers: { 'accept-encoding': 'gzip', range: 'bytes=0-6' } });
    expect(part.statusCode).toBe(206);
    expect(part.body).toBe('# Press');
  });

  it('streams /api/events uncompressed to a client that accepts gzip', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.server.address() as { port: number }).port;
    const { headers, first } = await new Promise<{ headers: Record<string, unknown>; first: string }>(
      (resolve, reject) => {
        const req = get(
          { host: '127.0.0.1', port, path: '/api/events', headers: { 'accept-encoding': 'gzip, br' } },
          (res) => {
            res.once('data', (chunk: Buffer) => {
              resolve({ headers: res.headers, first: chunk.toString() });
              req.destroy();
            });
          },
        );
        req.on('error', reject);
      },
    );
    expect(headers['content-type']).toBe('text/event-stream');
    expect(headers['content-encoding']).toBeUndefined();
    expect(first).toContain('event: hello');
  });
});

describe('CSP and the scheme the instance is reached by', () => {
  it('asks browsers to upgrade insecure requests only when the public URL is https', async () => {
    // over plain http (a LAN, compose without TLS) the directive sends every script to https: a blank page
    const plain = await createTestApp('pglite', { publicUrl: 'http://lan-host:3000' });
    const tls = await createTestApp('pglite', { publicUrl: 'https://andecha.example.org' });
    try {
      for (const url of ['/', '/healthz']) {
        const csp = String((await plain.app.inject({ url })).headers['content-security-policy']);
        expect(csp, url).toContain("script-src 'self'");
        expect(csp, url).not.toContain('upgrade-insecure-requests');
        expect(String((await tls.app.inject({ url })).headers['content-security-policy']), url).toContain(
          'upgrade-insecure-requests',
        );
      }
    } finally {
      await plain.close();
      await tls.close();
    }
  });
});
