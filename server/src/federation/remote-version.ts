// What one instance tells another about a design and each of its published versions: the shape the protocol
// side (actors, outbox, inbox) reads out of ActivityPub objects and the mirror side stores, verified by sha256.
// Both sides import these types; neither reaches into the other's files.

/** A design that lives on another instance. */
export interface RemoteDesign {
  /** the design actor's id (ActivityPub URI at the origin) */
  actorUri: string;
  /** the design's web page at the origin, e.g. https://a.example/ana/brick-press */
  url: string;
  /** the origin instance's name: the host of its ANDECHA_PUBLIC_URL, with the port where not default */
  instance: string;
  /** the owner's handle at the origin (without @host) and the design's slug there */
  owner: string;
  slug: string;
  title: string;
  summary: string;
  license?: string;
  tags: string[];
}

/** One file of a published version: fetched from url, kept only if its bytes hash to sha256. */
export interface RemoteFile {
  path: string;
  size: number;
  sha256: string;
  mediaType: string;
  url: string;
}

/** One published version of a remote design, as its outbox item carries it (the Andecha extension). */
export interface RemoteVersion {
  /** the ActivityPub object's id at the origin (one per version) */
  objectUri: string;
  /** the version's web page at the origin */
  url: string;
  version: string;
  changelogHtml?: string;
  publishedAt: string;
  yanked?: boolean;
  /** the version document's manifest, as published (unknown fields kept) */
  manifest: Record<string, unknown>;
  files: RemoteFile[];
  /** the saved BOM as published (its CSV/JSON bytes): fetched and verified like a file */
  bom?: { filename: string; sha256: string; url: string };
}
