// Clients that hold connections: a body trickled below the minimum rate is cut off (an honest upload is not), and
// event streams are capped per address and in all (429 with Retry-After past the cap).
import { request, get, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

const boundary = 'x-andecha-boundary';
const head = `--${boundary}\r\ncontent-disposition: form-data; name="bom"; filename="bom.csv"\r\ncontent-type: text/csv\r\n\r\n`;

describe('slow request bodies', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await createTestApp('pglite', { minUploadBytesPerSecond: 2048, uploadRateWindowMs: 500 });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('closes connections that trickle a multipart body, while the server keeps answering', async () => {
    const started = Date.now();
    const closed = Array.from({ length: 10 }, () => {
      return new Promise<number>((resolve) => {
        const req = request({
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/bom/parse',
          headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': 10_000_000 },
        });
        req.on('error', () => resolve(Date.now() - started));
        req.on('response', () => resolve(-1));
        req.write(head);
        const drip = setInterval(() => req.write('a'), 100);
        req.on('close', () => clearInterval(drip));
      });
    });
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    for (const ms of await Promise.all(closed)) {
      expect(ms).toBeGreaterThan(0);
      expect(ms).toBeLessThan(3000);
    }
  });

  it('lets a body sent at a steady pace through, however long it takes', async () => {
    const csv = 'part,qty\n' + Array.from({ length: 2000 }, (_, i) => `p${i},1\n`).join('');
    const body = Buffer.from(`${head}${csv}\r\n--${boundary}--\r\n`);
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/bom/parse',
          headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': body.length },
        },
        (r: IncomingMessage) => {
          let text = '';
          r.on('data', (c) => (text += c));
          r.on('end', () => resolve({ status: r.statusCode!, body: text }));
        },
      );
      req.on('error', reject);
      // about 4 KB/s for about two seconds: four windows, each above the minimum
      let at = 0;
      const step = setInterval(() => {
        req.write(body.subarray(at, at + 400));
        at += 400;
        if (at >= body.length) {
          clearInterval(step);
          req.end();
        }
      }, 100);
    });
    expect(res.status, res.body).toBe(200);
    expect(res.body).toContain('p1999');
  });
});

describe('event stream caps', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await createTestApp('pglite', { eventStreamsPerAddress: 2, eventStreamsMax: 3 });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await t?.close();
  });

  const open = (localAddress = '127.0.0.1') =>
    new Promise<{ status: number; headers: IncomingMessage['headers']; body: Promise<string>; close(): void }>(
      (resolve, reject) => {
        const req = get({ host: '127.0.0.1', port, path: '/api/events', localAddress }, (res) => {
          let text = '';
          const body = new Promise<string>((done) => {
            res.on('data', (c) => {
              text += c;
              if (res.statusCode !== 200) return;
              done(text);
            });
            res.on('end', () => done(text));
          });
          resolve({ status: res.statusCode!, headers: res.headers, body, close: () => req.destroy() });
        });
        req.on('error', reject);
      },
    );

  it('refuses a stream past the per-address cap with 429 and Retry-After, and counts a closed one out', async () => {
    const a = await open();
    const b = await open();
    expect([a.status, b.status]).toEqual([200, 200]);
    const third = await open();
    expect(third.status).toBe(429);
    expect(third.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(await third.body)).toMatchObject({ status: 429, limit: 2 });
    a.close();
    await expect
      .poll(async () => {
        const again = await open();
        again.close();
        return again.status;
      })
      .toBe(200);
    b.close();
  });

  it('refuses a stream past the overall cap, whatever the address', async () => {
    const streams = [await open('127.0.0.2'), await open('127.0.0.3'), await open('127.0.0.4')];
    expect(streams.map((s) => s.status)).toEqual([200, 200, 200]);
    const over = await open('127.0.0.5');
    expect(over.status).toBe(429);
    expect(JSON.parse(await over.body)).toMatchObject({ status: 429, limit: 3 });
    for (const s of streams) s.close();
  });
});
