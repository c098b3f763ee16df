// Fedify's key-value store (remote documents, public keys, activity idempotence) in our own database, so what
// it remembers survives a restart and is shared by every process on one PostgreSQL.
import type { KvKey, KvStore, KvStoreSetOptions } from '@fedify/fedify';
import type { Database } from '../db/client.js';

const keyText = (key: KvKey) => JSON.stringify(key);

export class DatabaseKvStore implements KvStore {
  constructor(private readonly database: Database) {}

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    const { rows } = await this.database.raw<{ value: T }>(
      'select value from federation_kv where key = $1 and (expires_at is null or expires_at > now())',
      [keyText(key)],
    );
    return rows[0]?.value;
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    const ttlMs = options?.ttl ? options.ttl.total('millisecond') : null;
    await this.database.raw(
      `insert into federation_kv (key, value, expires_at)
       values ($1, $2::jsonb, case when $3::float8 is null then null else now() + $3::float8 * interval '1 millisecond' end)
       on conflict (key) do update set value = excluded.value, expires_at = excluded.expires_at`,
      [keyText(key), JSON.stringify(value), ttlMs],
    );
  }

  async delete(key: KvKey): Promise<void> {
    await this.database.raw('delete from federation_kv where key = $1', [keyText(key)]);
  }

  /** Drops expired entries (called now and then by the queue's poller). */
  async sweep(): Promise<void> {
    await this.database.raw('delete from federation_kv where expires_at < now()');
  }
}
