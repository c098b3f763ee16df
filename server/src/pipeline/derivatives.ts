// Derivatives: what the pipeline made from a blob, keyed by (source sha256, renderer version, kind, variant),
// so the same file in a fork or another version is never processed twice.
import { and, eq } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { derivatives } from './tables.js';
import { blobs } from '../registry/tables.js';

export type DerivativeRow = typeof derivatives.$inferSelect;

export interface DerivativeKey {
  subjectKey: string;
  rendererVersion: string;
  kind: string;
  variant?: string;
}

export async function findDerivative(db: Executor, key: DerivativeKey): Promise<DerivativeRow | undefined> {
  const [row] = await db
    .select()
    .from(derivatives)
    .where(
      and(
        eq(derivatives.subjectKey, key.subjectKey),
        eq(derivatives.rendererVersion, key.rendererVersion),
        eq(derivatives.kind, key.kind),
        eq(derivatives.variant, key.variant ?? ''),
      ),
    )
    .limit(1);
  return row;
}

/** Records a derivative; a concurrent twin (same key) wins quietly. */
export async function saveDerivative(
  db: Executor,
  key: DerivativeKey,
  value: { sha256?: string; size?: number; data?: Record<string, unknown> },
): Promise<void> {
  if (value.sha256)
    await db
      .insert(blobs)
      .values({ sha256: value.sha256, size: value.size ?? 0 })
      .onConflictDoNothing();
  await db
    .insert(derivatives)
    .values({ ...key, variant: key.variant ?? '', sha256: value.sha256 ?? null, data: value.data ?? null })
    .onConflictDoNothing();
}
