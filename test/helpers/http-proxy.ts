// An HTTP proxy in front of a server that counts the paths asked for and can serve altered bytes for chosen paths:
// tests see what a client fetched, and what it does with bytes that are not the ones announced.
import http from 'node:http';

export interface HttpProxy {
  url: string;
  /** every path asked for, in order */
  requests: string[];
  /** answers for paths ending in `suffix` have their bytes changed (same length, first byte flipped) */
  tamper(suffix: string): void;
  /** the next `n` requests get their connection dropped without an answer (a network failure) */
  dropNext(n: number): void;
  close(): Promise<void>;
}

export async function startHttpProxy(target: string): Promise<HttpProxy> {
  const requests: string[] = [];
  const tampered: string[] = [];
  let drops = 0;
  const server = http.createServer(async (req, res) => {
    requests.push(req.url!);
    if (drops > 0) {
      drops--;
      req.socket.destroy();
      return;
    }
    try {
      const upstream = await fetch(target + req.url, { headers: { accept: req.headers.accept ?? '*/*' } });
      let body = Buffer.from(await upstream.arrayBuffer());
      if (tampered.some((s) => req.url!.endsWith(s)) && body.length) {
        body = Buffer.from(body);
        body[0] ^= 0xff;
      }
      res.writeHead(upstream.status, {
        'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream',
        'content-length': body.length,
      });
      res.end(body);
    } catch {
      res.writeHead(502).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    tamper: (suffix) => tampered.push(suffix),
    dropNext: (n) => (drops = n),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
