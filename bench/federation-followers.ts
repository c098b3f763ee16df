// A process of N fediverse followers for `npm run bench -- federation`: N Person actors on one small Fedify server
// (no shared inbox, so each has an inbox of its own and the origin delivers to each), each sending a real signed
// Follow to one design. Accepts go through Fedify (signatures verified); a Create is only recorded with its arrival
// time and answered 202 — the sink must cost as little as it can, since it shares the machine with the origin.
// Usage: node --import tsx bench/federation-followers.ts PORT DESIGN_PAGE_URL COUNT
// GET /stats → {accepted, creates: {inbox: arrivalEpochMs}}; prints one JSON line {listening} and {followed}.
import { createServer } from 'node:http';
import {
  Accept,
  Follow,
  Person,
  createFederation,
  generateCryptoKeyPair,
  getDocumentLoader,
  lookupObject,
  MemoryKvStore,
  type Actor,
} from '@fedify/fedify';

const [port, designPage, countArg] = process.argv.slice(2);
const count = Number(countArg);
const origin = `http://127.0.0.1:${port}`;
const identifiers = Array.from({ length: count }, (_, i) => `f${i}`);
const known = new Set(identifiers);

// one key pair for every actor: each actor names its own key id, so the origin still fetches each actor's document
const keys = [await generateCryptoKeyPair('RSASSA-PKCS1-v1_5')];
const federation = createFederation<void>({ kv: new MemoryKvStore(), origin, allowPrivateAddress: true });
federation
  .setActorDispatcher('/users/{identifier}', async (ctx, identifier) => {
    if (!known.has(identifier)) return null;
    const pairs = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      inbox: ctx.getInboxUri(identifier),
      publicKey: pairs[0].cryptographicKey,
    });
  })
  .setKeyPairsDispatcher(async (_ctx, identifier) => (known.has(identifier) ? keys : []));

let accepted = 0;
federation.setInboxListeners('/users/{identifier}/inbox').on(Accept, async () => {
  accepted++;
});

const creates: Record<string, number> = {};
const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = Buffer.concat(chunks);
  if (req.method === 'GET' && req.url === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ accepted, creates }));
    return;
  }
  if (req.method === 'POST' && req.url?.endsWith('/inbox')) {
    const type = (() => {
      try {
        return (JSON.parse(body.toString()) as { type?: string }).type;
      } catch {
        return undefined;
      }
    })();
    if (type === 'Create') {
      creates[req.url] ??= Date.now();
      res.writeHead(202).end();
      return;
    }
  }
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) for (const x of [v ?? []].flat()) headers.append(k, x);
  const response = await federation.fetch(
    new Request(new URL(req.url!, origin), { method: req.method, headers, ...(body.length ? { body } : {}) }),
    { contextData: undefined },
  );
  const out: Record<string, string> = {};
  response.headers.forEach((value, key) => (out[key] = value));
  res.writeHead(response.status, out);
  res.end(Buffer.from(await response.arrayBuffer()));
});
await new Promise<void>((resolve) => server.listen(Number(port), '127.0.0.1', resolve));
console.log(JSON.stringify({ event: 'listening' }));

const design = (await lookupObject(designPage, {
  documentLoader: getDocumentLoader({ allowPrivateAddress: true }),
})) as Actor | null;
if (!design?.id || !design.inboxId) throw new Error(`no actor at ${designPage}`);
const ctx = federation.createContext(new URL(origin), undefined);
// a few at a time: the origin's inbox limits each remote instance's rate, and the machine is shared
for (let i = 0; i < identifiers.length; i += 10)
  await Promise.all(
    identifiers.slice(i, i + 10).map((identifier) =>
      ctx.sendActivity(
        { identifier },
        { id: design.id!, inboxId: design.inboxId! },
        new Follow({
          id: new URL(`${origin}/users/${identifier}#follows/1`),
          actor: ctx.getActorUri(identifier),
          object: design.id,
        }),
      ),
    ),
  );
console.log(JSON.stringify({ event: 'followed', count }));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
