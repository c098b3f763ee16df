// What the protocol side would read out of an origin's ActivityPub objects, read here from its REST documents instead:
// RemoteDesign and RemoteVersion for tests of the mirror side. `base` is where files are fetched from (the origin, or
// a proxy in front of it).
import type { RemoteDesign, RemoteVersion } from '../../server/src/federation/remote-version.js';

interface DesignDocument {
  owner: string;
  slug: string;
  title: string;
  summary: string;
  tags: string[];
  licenses: Record<string, string>;
}

interface VersionDocument {
  version: string;
  state: string;
  publishedAt: string;
  changelog: string | null;
  manifest: Record<string, unknown>;
  files: { path: string; size: number; sha256: string; mediaType: string }[];
  bom?: { filename: string | null; sha256: string };
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

/** The origin's design as the mirror is told about it; the actor URI stands in as `${origin}/${owner}/${slug}`. */
export async function remoteDesignOf(origin: string, instance: string, owner: string, slug: string) {
  const d = await getJson<DesignDocument>(`${origin}/api/designs/${owner}/${slug}`);
  const design: RemoteDesign = {
    actorUri: `${origin}/${owner}/${slug}`,
    url: `${origin}/${owner}/${slug}`,
    instance,
    owner: d.owner,
    slug: d.slug,
    title: d.title,
    summary: d.summary,
    ...(d.licenses.hardware ? { license: d.licenses.hardware } : {}),
    tags: d.tags,
  };
  return design;
}

/** One published version of the origin's design, its file URLs under `base` (the origin or a proxy). */
export async function remoteVersionOf(origin: string, base: string, owner: string, slug: string, version: string) {
  const at = `/api/designs/${owner}/${slug}/versions/${version}`;
  const v = await getJson<VersionDocument>(`${origin}${at}`);
  const remote: RemoteVersion = {
    objectUri: `${origin}${at}`,
    url: `${origin}/${owner}/${slug}/${version}`,
    version: v.version,
    publishedAt: v.publishedAt,
    yanked: v.state === 'yanked',
    manifest: v.manifest,
    files: v.files.map((f) => ({
      path: f.path,
      size: f.size,
      sha256: f.sha256,
      mediaType: f.mediaType,
      url: `${base}${at}/files/${encodePath(f.path)}`,
    })),
    ...(v.bom
      ? { bom: { filename: v.bom.filename ?? 'bom.csv', sha256: v.bom.sha256, url: `${base}${at}/bom/source` } }
      : {}),
  };
  return remote;
}
