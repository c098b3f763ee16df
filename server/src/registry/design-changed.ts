// The one way a write tells the domains that keep something derived from a design (search, field stats,
// completeness) that the design changed: their hooks, run with the write's own transaction.
import type { Executor } from '../db/client.js';

export type DesignChangedHook = (db: Executor, designId: string) => Promise<void>;

/**
 * Tells every domain that keeps something derived from a design (search row, field stats, completeness) that it
 * changed. Called with the write's own transaction, by every write that changes a design: the derived rows commit or
 * roll back with the write, and no write answers an error after it committed because a derived row failed.
 */
export async function designChanged(
  tx: Executor,
  hooks: readonly DesignChangedHook[],
  designId: string,
): Promise<void> {
  for (const changed of hooks) await changed(tx, designId);
}
