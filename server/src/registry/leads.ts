// Who leads a design — its owner and maintainers — as account ids: the people told of what happens to it.
import { eq } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { designMaintainers, type DesignRow } from './tables.js';

export async function leadIds(db: Executor, design: Pick<DesignRow, 'id' | 'ownerId'>): Promise<string[]> {
  const rows = await db
    .select({ userId: designMaintainers.userId })
    .from(designMaintainers)
    .where(eq(designMaintainers.designId, design.id));
  return [design.ownerId, ...rows.map((r) => r.userId)];
}
