// References to a version of any design, `owner/slug@version`, as manifests (`fork-of`) and the compare API write them.
export interface VersionRef {
  owner: string;
  slug: string;
  version: string;
}

export const formatVersionRef = (r: VersionRef) => `${r.owner}/${r.slug}@${r.version}`;

/** Splits an `owner/slug@version` the schema already checked; undefined for a bare version of the design at hand. */
export function parseVersionRef(text: string): VersionRef | undefined {
  const at = text.lastIndexOf('@');
  const slash = text.indexOf('/');
  if (at < 0 || slash < 0 || slash > at) return undefined;
  return { owner: text.slice(0, slash), slug: text.slice(slash + 1, at), version: text.slice(at + 1) };
}
