// A new version's manifest made from the previous one's: what it starts with, and what "keep them" puts back.
// Imports carry .js: test/registry checks this module under the server's NodeNext resolution.
import type { Licenses } from './api-types.js';

/**
 * The manifest a new version starts from: the previous one's whole (fields the form knows nothing of included),
 * less what each version states for itself; a licence the design gives is left to the design, so an edit of the
 * design's licences reaches the new version.
 */
export function startingManifest(
  previous: Record<string, unknown>,
  designLicences: Licenses | undefined,
  version: string,
): Record<string, unknown> {
  const { changelog: _changelog, version: _version, licenses, ...rest } = previous;
  const own = Object.entries((licenses ?? {}) as Record<string, string>).filter(
    ([kind]) => !designLicences?.[kind as keyof Licenses],
  );
  return { version, ...rest, ...(own.length ? { licenses: Object.fromEntries(own) } : {}) };
}

/** Puts back into `manifest` the fields `dropped` names (JSON pointers /manifest/…) as `previous` had them. */
export function restoreDropped(
  manifest: Record<string, unknown>,
  previous: Record<string, unknown>,
  dropped: { field: string }[],
): Record<string, unknown> {
  const next = { ...manifest };
  for (const { field } of dropped) {
    const [key, kind] = field.replace(/^\/manifest\//, '').split('/');
    if (key === 'licenses' && kind)
      next.licenses = {
        ...(next.licenses as Licenses | undefined),
        [kind]: (previous.licenses as Record<string, string>)[kind],
      };
    else next[key] = previous[key];
  }
  return next;
}
