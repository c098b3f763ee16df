// Each local actor's key pairs, made on first use and kept in the database: RSA for HTTP Signatures (what
// Mastodon and most of the fediverse verify), Ed25519 for Object Integrity Proofs (FEP-8b32).
import { exportJwk, generateCryptoKeyPair, importJwk } from '@fedify/fedify';
import type { Database } from '../db/client.js';

const algorithms = ['RSASSA-PKCS1-v1_5', 'Ed25519'] as const;

export interface ActorKeyPair {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

type KeyRow = { algorithm: string; private_key: JsonWebKey; public_key: JsonWebKey };

export async function actorKeyPairs(database: Database, actor: string): Promise<ActorKeyPair[]> {
  let { rows } = await database.raw<KeyRow>(
    'select algorithm, private_key, public_key from federation_keys where actor = $1',
    [actor],
  );
  const missing = algorithms.filter((a) => !rows.some((r) => r.algorithm === a));
  if (missing.length) {
    for (const algorithm of missing) {
      const pair = await generateCryptoKeyPair(algorithm);
      // two first requests at once: the first insert wins and both read it back
      await database.raw(
        `insert into federation_keys (actor, algorithm, private_key, public_key) values ($1, $2, $3::jsonb, $4::jsonb)
         on conflict do nothing`,
        [
          actor,
          algorithm,
          JSON.stringify(await exportJwk(pair.privateKey)),
          JSON.stringify(await exportJwk(pair.publicKey)),
        ],
      );
    }
    ({ rows } = await database.raw<KeyRow>(
      'select algorithm, private_key, public_key from federation_keys where actor = $1',
      [actor],
    ));
  }
  // RSA first: Fedify signs HTTP requests with the first RSA key and publishes the first key as publicKey
  const ordered = algorithms.map((a) => rows.find((r) => r.algorithm === a)!);
  return Promise.all(
    ordered.map(async (r) => ({
      privateKey: await importJwk(r.private_key, 'private'),
      publicKey: await importJwk(r.public_key, 'public'),
    })),
  );
}
