// Telling people's event streams that they were notified, once it is committed: notify() runs inside the transaction
// where something happens, and a stream that heard of it before the commit would read nothing new (or, after a
// rollback, something that never happened).
import type { Db, Executor } from '../db/client.js';

/** who was told inside each open transaction, by its executor */
const pending = new WeakMap<object, Set<string>>();
/** the announcer of each database set up with announceNotifications: a write outside a transaction is committed */
const announcers = new WeakMap<object, (userIds: string[]) => void>();

/** These people were told, in `db`'s transaction (announced when it commits) or outside one (at once). */
export function announceWhenCommitted(db: Executor, userIds: readonly string[]): void {
  if (!userIds.length) return;
  const now = announcers.get(db);
  if (now) return now([...userIds]);
  let told = pending.get(db);
  if (!told) pending.set(db, (told = new Set()));
  for (const id of userIds) told.add(id);
}

/**
 * From now on, the people notified in a transaction of `db` are passed to `send` after it commits (nothing is sent
 * for one rolled back). Wraps `db.transaction`, so every domain's transactions are covered without each telling.
 */
export function announceNotifications(db: Db, send: (userIds: string[]) => void): void {
  announcers.set(db, send);
  const begin = db.transaction.bind(db);
  db.transaction = (async (work: (tx: Executor) => Promise<unknown>, config?: Parameters<Db['transaction']>[1]) => {
    let inner: Executor | undefined;
    const result = await begin((tx) => {
      inner = tx;
      return work(tx);
    }, config);
    const told = inner && pending.get(inner);
    if (told?.size) {
      pending.delete(inner!);
      send([...told]);
    }
    return result;
  }) as Db['transaction'];
}
