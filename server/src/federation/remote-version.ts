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
  /** who follows it, from its followers collection at home; absent when that could not be read */
  followers?: { count: number; instances: string[] };
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
  /**
   * the version's field data at its home (GET …/field there: reports from every instance), sent again with an Update
   * when a review changes it; a mirror answers its own …/field with it
   */
  field?: Record<string, unknown>;
  /**
   * the object id (at its home) of the version this design was forked from: the fork's own word for its origin, which
   * the upstream's home checks a fork notice against before it records the fork in its lineage
   */
  forkedFrom?: string;
}

/**
 * What the protocol side tells the mirror side when activities arrive (implemented by the mirror, wired in
 * runtime.ts). Every method is idempotent: an activity delivered twice changes nothing the second time.
 */
export interface MirrorSink {
  /** a followed design's actor was fetched or updated (title, summary, licence, tags): create or update its copy */
  design(design: RemoteDesign): Promise<void>;
  /**
   * a published version arrived (backfill, new, or announced again): queue its verified mirror durably; a known
   * version is skipped unless its copy failed, which is queued again with what was announced
   */
  version(designActorUri: string, version: RemoteVersion): Promise<void>;
  /**
   * an admin asks for the failed copies of a mirrored design (or one version) to be tried again; returns the versions
   * queued (a copy queued, in progress or complete is left alone)
   */
  retryFailed(designActorUri: string, version?: string): Promise<string[]>;
  /** the origin yanked (or un-yanked) a version */
  yanked(designActorUri: string, version: string, yanked: boolean): Promise<void>;
  /** the version's field data at its home changed (a review there) */
  fieldData(designActorUri: string, version: string, field: Record<string, unknown>): Promise<void>;
  /** the origin deleted the design or its owner's account: copies stay downloadable, marked originGone */
  originGone(designActorUri: string): Promise<void>;
  /** the origin took the design (or one version) down for abuse: the copies are hidden */
  takenDown(designActorUri: string, version?: string): Promise<void>;
  /** an admin blocked (or unblocked) an instance: its mirrored designs are hidden (or shown again) */
  instanceBlocked(instance: string, blocked: boolean): Promise<void>;
}
