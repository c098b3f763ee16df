// A Fedify federation served by a plain node:http server on loopback: tests' third parties (an independent client,
// a rogue signer) answer their actors, keys and inboxes through Fedify itself, without Andecha's code.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Federation } from '@fedify/fedify';

/** A node:http request listener handing each request to `federation.fetch` (the body as received: Digest checks). */
export function federationListener(federation: Federation<void>, origin: string) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) for (const x of [v ?? []].flat()) headers.append(k, x);
    const response = await federation.fetch(
      new Request(new URL(req.url!, origin), {
        method: req.method,
        headers,
        ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
      }),
      { contextData: undefined },
    );
    const out: Record<string, string> = {};
    response.headers.forEach((value, key) => (out[key] = value));
    res.writeHead(response.status, out);
    res.end(Buffer.from(await response.arrayBuffer()));
  };
}
