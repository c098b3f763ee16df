// The SSRF rules of outgoing federation fetches: which addresses are refused (v4, v6, mapped and embedded forms),
// that a refused name is never connected to, and the time and size limits of a real fetch.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedIpv4, refusedAddress } from '../../server/src/federation/address-rules.js';
import { checkedAddress, safeFetch, SafeFetchError } from '../../server/src/federation/safe-fetch.js';

describe('address rules', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '::ffff:10.0.0.1',
    '64:ff9b::7f00:1',
    '::127.0.0.1',
  ])('refuses %s', (address) => {
    expect(refusedAddress(address)).toMatch(/private or reserved/);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])(
    'allows %s',
    (address) => {
      expect(refusedAddress(address)).toBeUndefined();
    },
  );

  it('reads the IPv4 address inside mapped, compatible and NAT64 forms, and none elsewhere', () => {
    expect(embeddedIpv4('::ffff:7f00:1')).toBe('127.0.0.1');
    expect(embeddedIpv4('::ffff:192.168.0.1')).toBe('192.168.0.1');
    expect(embeddedIpv4('64:ff9b::a00:1')).toBe('10.0.0.1');
    expect(embeddedIpv4('2606:4700::1111')).toBeUndefined();
    expect(embeddedIpv4('::1')).toBeUndefined();
  });

  it('refuses names that resolve to a private address, and takes literal addresses as they are', async () => {
    await expect(checkedAddress('localhost', false)).rejects.toThrow(/Refused to fetch from localhost/);
    await expect(checkedAddress('[::1]', false)).rejects.toThrow(/::1 is a private/);
    expect(await checkedAddress('localhost', true)).toMatchObject({
      address: expect.stringMatching(/127\.0\.0\.1|::1/),
    });
  });
});

describe('safeFetch against a real server', () => {
  let server: http.Server;
  let base: string;
  let hits = 0;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits++;
      if (req.url === '/big') return res.end(Buffer.alloc(4096, 1));
      if (req.url === '/chunked') {
        // no content-length: the limit must hold while the bytes stream
        for (let i = 0; i < 8; i++) res.write(Buffer.alloc(512, 1));
        return res.end();
      }
      if (req.url === '/slow') return setTimeout(() => res.end('late'), 2000);
      if (req.url === '/redirect') return res.writeHead(302, { location: '/ok' }).end();
      if (req.url === '/missing') return res.writeHead(404).end();
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const opts = { allowPrivate: true, timeoutMs: 1000, maxBytes: 1024 };
  const text = async (url: string, o = opts) => {
    const res = await safeFetch(url, o);
    const chunks: Buffer[] = [];
    for await (const c of res.body) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString();
  };

  it('refuses a loopback URL without the setting, before connecting', async () => {
    const before = hits;
    const err = await safeFetch(`${base}/ok`, { ...opts, allowPrivate: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SafeFetchError);
    expect((err as SafeFetchError).retryable).toBe(false);
    expect(hits).toBe(before);
  });

  it('fetches with the setting, following a redirect', async () => {
    expect(await text(`${base}/ok`)).toBe('ok');
    expect(await text(`${base}/redirect`)).toBe('ok');
  });

  it('stops at the size limit and the time limit, and says which', async () => {
    await expect(text(`${base}/big`)).rejects.toThrow(/4096 bytes, over the limit of 1024/);
    await expect(text(`${base}/chunked`)).rejects.toThrow(/over the limit of 1024 bytes/);
    await expect(text(`${base}/slow`)).rejects.toThrow(/did not answer within 1000 ms/);
    await expect(text(`${base}/missing`)).rejects.toThrow(/answered 404/);
    await expect(text('file:///etc/passwd')).rejects.toThrow(/only http and https/);
  });
});
