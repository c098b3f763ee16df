// Who really signed an inbox POST: its HTTP Signature checked before Fedify handles it, so the per-instance rate
// limit is spent by the instance whose key signed, never by a forger who only names that instance in keyId.
// Keys are read from and kept in Fedify's own public-key cache (same kv prefix), so Fedify's check after this one
// finds them there and nothing is fetched twice.
import {
  CryptographicKey,
  Multikey,
  verifyRequest,
  type Context,
  type KeyCache,
  type KvKey,
  type KvStore,
} from '@fedify/fedify';

/** The prefix Fedify keeps remote public keys under (its default kvPrefixes.publicKey). */
const publicKeyPrefix: KvKey = ['_fedify', 'publicKey'];

function kvKeyCache(kv: KvStore, ctx: Context<void>): KeyCache {
  const options = { documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader };
  return {
    async get(keyId) {
      const stored = await kv.get([...publicKeyPrefix, keyId.href]);
      if (stored == null) return undefined;
      return CryptographicKey.fromJsonLd(stored, options).catch(() =>
        Multikey.fromJsonLd(stored, options).catch(() => undefined),
      );
    },
    async set(keyId, key) {
      if (key == null) await kv.delete([...publicKeyPrefix, keyId.href]);
      else await kv.set([...publicKeyPrefix, keyId.href], await key.toJsonLd(options));
    },
  };
}

/** The host (with port) whose key verifiably signed the request, or undefined (unsigned, mis-signed, unreachable key). */
export async function verifiedSignerHost(
  request: Request,
  kv: KvStore,
  ctx: Context<void>,
): Promise<string | undefined> {
  try {
    const key = await verifyRequest(request, {
      documentLoader: ctx.documentLoader,
      contextLoader: ctx.contextLoader,
      keyCache: kvKeyCache(kv, ctx),
    });
    return key?.id ? key.id.host.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}
