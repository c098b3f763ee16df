// A file's previews: stored as keys naming the derivatives of its bytes that answer them (data: the same in a fork,
// after a rename or on another host), replied as this instance's URLs, built here and nowhere else.

/** Where a file is reached: its design, version and path. */
export interface FileAddressParts {
  owner: string;
  slug: string;
  version: string;
  path: string;
}

/** The size a preview URL names when its key gives none. */
const defaultSize = 512;

/** The stored key of a file's preview: `preview-png/512`, `preview-webp/512`, or `mesh-glb` (the viewer's model). */
export function previewKey(format: string, size = defaultSize): string {
  return format === 'glb' ? 'mesh-glb' : `preview-${format}/${size}`;
}

/** The URL of a file's preview (the GLB has no size): what the preview route answers. */
export function previewUrl(f: FileAddressParts, format: string, size = defaultSize): string {
  const path = f.path.split('/').map(encodeURIComponent).join('/');
  // the GLB has no size: it is the model itself, for the web viewer
  const query = format === 'glb' ? 'format=glb' : `size=${size}&format=${format}`;
  return `/api/designs/${f.owner}/${f.slug}/versions/${f.version}/previews/${path}?${query}`;
}

/** A file's stored preview keys ({format: key}) as the URLs of the version document ({format: url}). */
export function previewUrls(f: FileAddressParts, keys: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(keys).map(([format, key]) => {
      const size = /\/(\d+)$/.exec(key)?.[1];
      return [format, previewUrl(f, format, size ? Number(size) : defaultSize)];
    }),
  );
}
