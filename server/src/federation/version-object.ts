// A published version as an ActivityPub object: a `Note` (so Mastodon shows each version as a post with its
// picture) that also carries the Andecha extension, the exact RemoteVersion another instance mirrors from.
// The extension is one JSON literal under an inline context (`@type: @json` keeps it intact through JSON-LD
// expansion, and no context URL has to be fetched). Fedify re-compacts activities it sends, which drops terms
// its vocabulary does not know, so a receiver reads the extension from the object fetched by its id at the
// origin (the object and outbox are served as written here): the origin's own copy is the one trusted anyway.
import type { RemoteFile, RemoteVersion } from './remote-version.js';

export const activityStreams = 'https://www.w3.org/ns/activitystreams';
export const publicAudience = 'https://www.w3.org/ns/activitystreams#Public';
export const andechaContext = {
  andecha: 'https://andecha.org/ns#',
  andechaVersion: { '@id': 'andecha:version', '@type': '@json' },
} as const;

/** the summary of a Delete that takes a design down for abuse (followers hide their copies) */
export const takenDownSummary = 'Taken down by the moderators of its home instance';

export interface VersionObjectInput {
  noteUri: string;
  designActorUri: string;
  followersUri: string;
  title: string;
  thumbnailUrl: string;
  license?: string;
  remote: RemoteVersion;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The changelog as HTML: its paragraphs, escaped (it is the maker's plain text or Markdown). */
export function changelogHtml(changelog: string | null | undefined): string | undefined {
  if (!changelog?.trim()) return undefined;
  return changelog
    .trim()
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

/** The Note's JSON-LD (compact, with its own @context). */
export function versionNote(input: VersionObjectInput): Record<string, unknown> {
  const { remote } = input;
  const link = `<a href="${escapeHtml(remote.url)}">${escapeHtml(input.title)} ${escapeHtml(remote.version)}</a>`;
  const content =
    `<p>${link}${remote.yanked ? ' (yanked)' : ''}</p>` +
    (remote.changelogHtml ?? '') +
    (input.license ? `<p>Licence: ${escapeHtml(input.license)}</p>` : '');
  return {
    '@context': [activityStreams, andechaContext],
    id: input.noteUri,
    type: 'Note',
    attributedTo: input.designActorUri,
    to: [publicAudience],
    cc: [input.followersUri],
    name: `${input.title} ${remote.version}`,
    content,
    url: remote.url,
    published: remote.publishedAt,
    attachment: [
      { type: 'Image', mediaType: 'image/png', url: input.thumbnailUrl, name: `${input.title} ${remote.version}` },
    ],
    andechaVersion: remote,
  };
}

/** The Create of a version, with the Note embedded (outbox items and deliveries). */
export function versionCreate(note: Record<string, unknown>): Record<string, unknown> {
  const { '@context': context, ...object } = note;
  return {
    '@context': context,
    id: `${note.id as string}#create`,
    type: 'Create',
    actor: note.attributedTo,
    to: note.to,
    cc: note.cc,
    published: note.published,
    object,
  };
}

const isString = (v: unknown): v is string => typeof v === 'string';

/** Field data as the home's …/field answers it (the mirror serves it through the same reply schema). */
function isFieldData(f: unknown): f is Record<string, unknown> {
  if (!f || typeof f !== 'object') return false;
  const builds = (f as { builds?: Record<string, unknown> }).builds;
  return !!builds && typeof builds.total === 'number' && typeof builds.approved === 'number';
}

/** Reads the Andecha extension out of a fetched object; undefined when it is not one (a plain post, a forgery). */
export function readRemoteVersion(json: unknown): RemoteVersion | undefined {
  if (!json || typeof json !== 'object') return undefined;
  const ext = (json as Record<string, unknown>).andechaVersion ?? (json as Record<string, unknown>)['andecha:version'];
  if (!ext || typeof ext !== 'object') return undefined;
  const v = ext as Record<string, unknown>;
  if (!isString(v.objectUri) || !isString(v.url) || !isString(v.version) || !isString(v.publishedAt)) return undefined;
  if (!v.manifest || typeof v.manifest !== 'object' || !Array.isArray(v.files)) return undefined;
  const files: RemoteFile[] = [];
  for (const f of v.files as Record<string, unknown>[]) {
    if (!f || !isString(f.path) || !isString(f.sha256) || !isString(f.url) || typeof f.size !== 'number')
      return undefined;
    files.push({
      path: f.path,
      size: f.size,
      sha256: f.sha256,
      mediaType: isString(f.mediaType) ? f.mediaType : 'application/octet-stream',
      url: f.url,
    });
  }
  const b = v.bom as Record<string, unknown> | undefined;
  return {
    objectUri: v.objectUri,
    url: v.url,
    version: v.version,
    ...(isString(v.changelogHtml) ? { changelogHtml: v.changelogHtml } : {}),
    publishedAt: v.publishedAt,
    ...(v.yanked === true ? { yanked: true } : {}),
    manifest: v.manifest as Record<string, unknown>,
    files,
    ...(b && isString(b.filename) && isString(b.sha256) && isString(b.url)
      ? { bom: { filename: b.filename, sha256: b.sha256, url: b.url } }
      : {}),
    ...(isFieldData(v.field) ? { field: v.field } : {}),
    ...(isString(v.forkedFrom) ? { forkedFrom: v.forkedFrom } : {}),
  };
}
