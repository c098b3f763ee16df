// How local people, designs and the instance are named in ActivityPub: actor identifiers, WebFinger handles and
// the web and API addresses an actor document points at. A design's identifier is `owner~slug`: `~` is in no
// handle or slug, so the form reverses (acct:ana~brick-press@host ⇄ design ana/brick-press).

/** The instance actor's identifier: `_` starts no handle, so it collides with no person. */
export const instanceIdentifier = '_instance';

export type ActorName =
  { kind: 'instance' } | { kind: 'person'; handle: string } | { kind: 'design'; owner: string; slug: string };

export function parseIdentifier(identifier: string): ActorName | undefined {
  if (identifier === instanceIdentifier) return { kind: 'instance' };
  const parts = identifier.split('~');
  const word = /^[a-z0-9][a-z0-9-]*$/;
  if (parts.length === 1 && word.test(parts[0])) return { kind: 'person', handle: parts[0] };
  if (parts.length === 2 && word.test(parts[0]) && word.test(parts[1]))
    return { kind: 'design', owner: parts[0], slug: parts[1] };
  return undefined;
}

export const designIdentifier = (owner: string, slug: string) => `${owner}~${slug}`;

/** The instance's name as handles carry it: the public URL's host, with the port where not default. */
export const instanceName = (publicUrl: string) => new URL(publicUrl).host;

export const designWebUrl = (publicUrl: string, owner: string, slug: string) =>
  new URL(`/${owner}/${slug}`, publicUrl).href;
export const versionWebUrl = (publicUrl: string, owner: string, slug: string, version: string) =>
  new URL(`/${owner}/${slug}/${encodeURIComponent(version)}`, publicUrl).href;
export const versionApiUrl = (publicUrl: string, owner: string, slug: string, version: string) =>
  new URL(`/api/designs/${owner}/${slug}/versions/${encodeURIComponent(version)}`, publicUrl).href;
/** A version's ActivityPub object id (the Note federation.ts dispatches at this path). */
export const versionObjectUrl = (publicUrl: string, owner: string, slug: string, version: string) =>
  new URL(`/ap/designs/${owner}/${slug}/versions/${encodeURIComponent(version)}`, publicUrl).href;
export const fileApiUrl = (publicUrl: string, owner: string, slug: string, version: string, path: string) =>
  `${versionApiUrl(publicUrl, owner, slug, version)}/files/${path.split('/').map(encodeURIComponent).join('/')}`;

/**
 * The handle of a person named by `attribution` on the same instance as `sender` (an Andecha actor path there), or
 * undefined: a design's actor speaks only for people of its own instance.
 */
export function personOf(sender: URL, attribution: URL | null | undefined): string | undefined {
  if (attribution?.origin !== sender.origin) return undefined;
  const name = /^\/ap\/actors\/([^/]+)$/.exec(attribution.pathname)?.[1];
  const person = name ? parseIdentifier(decodeURIComponent(name)) : undefined;
  return person?.kind === 'person' ? person.handle : undefined;
}
