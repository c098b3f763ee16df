// An independent ActivityPub client: a separate process built only on Fedify's API (none of Andecha's federation
// code), with its own tiny federation and actor on its own loopback port. It looks up a person, a design and a
// version of an Andecha instance, follows the design with a signed Follow, and reports each step and every
// activity its inbox receives as one JSON line on stdout (the test drives it and reads them).
// Usage: node --import tsx test/federation/independent-client.ts PORT ANDECHA_URL OWNER SLUG VERSION
// acct: handles are looked up over https only (RFC 7033), and the test's instances are plain http on loopback:
// WebFinger is asked about the actor's URL, and objects are looked up by their web addresses.
import { createServer } from 'node:http';
import {
  Accept,
  Create,
  Endpoints,
  Follow,
  InProcessMessageQueue,
  MemoryKvStore,
  Person,
  createFederation,
  generateCryptoKeyPair,
  getDocumentLoader,
  lookupObject,
  lookupWebFinger,
} from '@fedify/fedify';
import { federationListener } from '../helpers/fedify-server.js';

const [port, andecha, owner, slug, version] = process.argv.slice(2);
const origin = `http://127.0.0.1:${port}`;
const emit = (line: Record<string, unknown>) => process.stdout.write(JSON.stringify(line) + '\n');

const keys = [await generateCryptoKeyPair('RSASSA-PKCS1-v1_5'), await generateCryptoKeyPair('Ed25519')];
const federation = createFederation<void>({
  kv: new MemoryKvStore(),
  queue: new InProcessMessageQueue(),
  origin,
  allowPrivateAddress: true,
});
federation
  .setActorDispatcher('/users/{identifier}', async (ctx, identifier) => {
    if (identifier !== 'watcher') return null;
    const pairs = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: 'An independent watcher',
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      publicKey: pairs[0].cryptographicKey,
      assertionMethods: pairs.map((p) => p.multikey),
    });
  })
  .setKeyPairsDispatcher(async (_ctx, identifier) => (identifier === 'watcher' ? keys : []));
federation
  .setInboxListeners('/users/{identifier}/inbox', '/inbox')
  .on(Accept, async (_ctx, accept) => {
    emit({ event: 'accept', actor: accept.actorId?.href });
  })
  .on(Create, async (ctx, create) => {
    const object = await create.getObject(ctx);
    emit({
      event: 'create',
      actor: create.actorId?.href,
      objectId: object?.id?.href,
      type: object?.constructor.name,
      content: object && 'content' in object ? object.content?.toString() : undefined,
    });
  });

const server = createServer(federationListener(federation, origin));
await new Promise<void>((resolve) => server.listen(Number(port), '127.0.0.1', resolve));
emit({ event: 'listening', actor: `${origin}/users/watcher` });

const options = { documentLoader: getDocumentLoader({ allowPrivateAddress: true }) };
const host = new URL(andecha).host;
const finger = await lookupWebFinger(`${andecha}/ap/actors/${owner}~${slug}`, { allowPrivateAddress: true });
emit({
  event: 'webfinger',
  subject: finger?.subject,
  aliases: finger?.aliases,
  self: finger?.links?.find((l) => l.rel === 'self')?.href,
});
const person = await lookupObject(`${andecha}/${owner}`, options);
emit({ event: 'person', type: person?.constructor.name, id: person?.id?.href });
const design = await lookupObject(`${andecha}/${owner}/${slug}`, options);
emit({
  event: 'design',
  type: design?.constructor.name,
  id: design?.id?.href,
  name: design?.name?.toString(),
  host,
});
const note = await lookupObject(`${andecha}/${owner}/${slug}/${version}`, options);
emit({ event: 'version', type: note?.constructor.name, id: note?.id?.href, name: note?.name?.toString() });

if (design?.id) {
  const ctx = federation.createContext(new URL(origin), undefined);
  await ctx.sendActivity(
    { identifier: 'watcher' },
    { id: design.id, inboxId: (design as Person).inboxId },
    new Follow({
      id: new URL(`${origin}/users/watcher#follows/1`),
      actor: ctx.getActorUri('watcher'),
      object: design.id,
    }),
  );
  emit({ event: 'follow-sent' });
}
process.on('SIGTERM', () => server.close(() => process.exit(0)));
