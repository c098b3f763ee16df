// A board picture asked for while the board is being drawn (202): asked again after each pause, a bounded number of
// times, against a real HTTP server that answers as the board routes do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchBoardPicture } from '../../web/src/viewer/board-pictures.js';

describe('board pictures while the board is drawn', () => {
  let server: Server;
  let base: string;
  const asked = new Map<string, number>();
  const headersSeen: (string | undefined)[] = [];
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

  beforeAll(async () => {
    server = createServer((req, res) => {
      const [path, readyAfter] = (req.url ?? '').split('?ready=');
      const n = (asked.get(path) ?? 0) + 1;
      asked.set(path, n);
      headersSeen.push(req.headers.authorization);
      if (path === '/missing') return res.writeHead(404).end();
      if (readyAfter && n > Number(readyAfter)) return res.writeHead(200, { 'content-type': 'image/png' }).end(png);
      res.writeHead(202, { 'content-type': 'application/json', 'retry-after': '1' }).end('{"state":"running"}');
    });
    // this engineer's own port range on the shared machine
    await new Promise<void>((resolve) => server.listen(47333, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const delays = [1, 2, 3, 4];
  const waited: number[] = [];
  const wait = (ms: number) => {
    waited.push(ms);
    return new Promise<void>((resolve) => setTimeout(resolve, ms));
  };

  it('asks again after growing pauses until the picture is drawn', async () => {
    waited.length = 0;
    const blob = await fetchBoardPicture({
      url: `${base}/soon?ready=2`,
      headers: { authorization: 'Bearer t' },
      delays,
      wait,
    });
    expect(Buffer.from(await blob!.arrayBuffer())).toEqual(png);
    expect(asked.get('/soon')).toBe(3);
    expect(waited).toEqual([1, 2]);
    expect(headersSeen.at(-1)).toBe('Bearer t');
  });

  it('gives up after the last pause, never asking forever', async () => {
    waited.length = 0;
    expect(await fetchBoardPicture({ url: `${base}/never`, delays, wait })).toBeNull();
    expect(asked.get('/never')).toBe(delays.length + 1);
    expect(waited).toEqual(delays);
  });

  it('does not ask again when the server refuses', async () => {
    expect(await fetchBoardPicture({ url: `${base}/missing`, delays, wait })).toBeNull();
    expect(asked.get('/missing')).toBe(1);
  });

  it('stops waiting when the viewer goes away', async () => {
    const aborter = new AbortController();
    const pending = fetchBoardPicture({ url: `${base}/gone`, signal: aborter.signal, delays: [60_000] });
    setTimeout(() => aborter.abort(), 50);
    await expect(pending).rejects.toThrow(/abort/i);
    expect(asked.get('/gone')).toBe(1);
  });
});
