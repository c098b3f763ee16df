// The hook lists through which a lower domain lets the ones above it act (wired in runtime.ts), and the
// dependencies every route and process is handed. Domains never import this file: each declares its own hook
// type and takes the list it fires as an argument.
import type { Config } from './config.js';
import type { Database, Executor } from './db/client.js';
import type { BlobStore } from './storage/blob-store.js';
import type { EventBus } from './events.js';
import type { Pipeline } from './pipeline/pipeline.js';
import type { VersionPublishedHook, AfterPublishHook, FileStoredHook } from './registry/publish.js';
import type { VersionDocumentSection } from './registry/versions.js';
import type { ForkedHook } from './registry/forks.js';
import type { ProposalChangedHook } from './registry/proposals.js';
import type { DiscussionChangedHook } from './community/discussion-remote.js';
import type { BuildActivitySource } from './registry/build-activity.js';
import type { DesignChangedHook } from './registry/designs.js';
import type { StoredBlobsOf } from './registry/quota.js';
import type { RefusedUploads } from './registry/refused-uploads.js';
import type { DownloadCounter } from './registry/downloads.js';
import type { IntakeDeps } from './registry/intake.js';
import type { PartSubstitutesOf } from './search/parts.js';
import type { DesignRow } from './registry/designs.js';
import type { AndechaFederation } from './federation/federation.js';
import type { MirrorSink } from './federation/remote-version.js';
import type { Metrics } from './metrics/registry.js';
import type { DigestSchedule } from './notifications/digest-schedule.js';

export interface AppHooks {
  onPublished: VersionPublishedHook[];
  afterPublished: AfterPublishHook[];
  /** an upload's file is stored, its version not yet committed (the pipeline starts a big mesh's previews) */
  fileStored: FileStoredHook[];
  versionSections: VersionDocumentSection[];
  /** a design, its latest version or its field data changed (search rows, caches) */
  designChanged: DesignChangedHook[];
  /** run inside the fork transaction after the fork's first version is written (copy per-version rows) */
  onForked: ForkedHook[];
  /** approved build counts and recent reports, registered by the builds domain (none: counts are 0) */
  buildActivity: BuildActivitySource[];
  /** what a design's document says for the signed-in reader alone (`starred`, `watching`), from the domains above */
  designViewer: ((db: Executor, designId: string, userId: string) => Promise<Record<string, unknown>>)[];
  /** more of `GET /api/me` from other domains (the builds domain adds the account's workshops) */
  meSections: ((db: Executor, userId: string) => Promise<Record<string, unknown>>)[];
  /** each domain's share of the blobs an account stores: the storage quota adds them up */
  storedBlobs: StoredBlobsOf[];
  /** what approved builds substituted for the parts a parts search finds (registered by the builds domain) */
  partSubstitutes: PartSubstitutesOf[];
  /** after a design's edit committed (title, summary, licences, tags, federation): followers hear of it */
  designEdited: ((design: DesignRow, before?: DesignRow) => void)[];
  /** after a version was yanked: followers hear of it */
  versionYanked: ((design: DesignRow, version: string) => void)[];
  /** after a design was taken down for abuse (moderation, `admin hide`): followers hide their copies */
  designTakenDown: ((design: DesignRow) => void)[];
  /** after a fork committed: a fork of a mirrored design tells the design's home (federation) */
  designForked: ((fork: DesignRow) => void)[];
  /** after an account was deleted (its former handle, the designs it owned): followers hear its home is gone */
  accountDeleted: ((formerHandle: string, designIds: string[]) => void)[];
  /**
   * after a build report was filed, reviewed or edited by its author (resubmitted, photos added), committed: a report
   * that crosses instances is sent on (federation/remote-builds.ts)
   */
  buildReportChanged: ((reportId: string, change: 'filed' | 'reviewed' | 'edited') => void)[];
  /**
   * after a proposal was made, commented on (the comment's id) or decided, committed: one that crosses instances is
   * sent on (federation/remote-proposals.ts)
   */
  proposalChanged: ProposalChangedHook[];
  /** after a discussion was started, replied to or changed, committed: federation sends it on (remote-discussions.ts) */
  discussionChanged: DiscussionChangedHook[];
}

export interface AppDeps {
  config: Config;
  db: Database;
  blobs: BlobStore;
  hooks: AppHooks;
  events: EventBus;
  pipeline?: Pipeline;
  /** bytes of refused uploads per account and address over the last hour (429 past the allowance) */
  refusedUploads: RefusedUploads;
  /** downloads counted in memory and written every second and at close: off the download's reply */
  downloads: DownloadCounter;
  /** copies of designs followed on other instances: the federation's protocol side hands it what arrives */
  mirror: MirrorSink;
  /** first-start work (migrations, samples) committed: /readyz may answer 200 */
  startup: { done: boolean };
  /** the email digest (when an SMTP server and a cadence are configured): its hourly runs, and a run on demand */
  digest?: DigestSchedule;
  /** ActivityPub (when config.federation): actors, inboxes, outboxes, the delivery queue, follows */
  federation?: AndechaFederation;
  /** this process's Prometheus metrics (GET /metrics, the metrics listener) */
  metrics: Metrics;
}

export const emptyHooks = (): AppHooks => ({
  onPublished: [],
  afterPublished: [],
  fileStored: [],
  versionSections: [],
  designChanged: [],
  onForked: [],
  buildActivity: [],
  designViewer: [],
  meSections: [],
  storedBlobs: [],
  partSubstitutes: [],
  designEdited: [],
  versionYanked: [],
  designTakenDown: [],
  designForked: [],
  accountDeleted: [],
  buildReportChanged: [],
  proposalChanged: [],
  discussionChanged: [],
});

/** What the upload intake needs of the app's dependencies. */
export const intakeDeps = (deps: AppDeps): IntakeDeps => ({
  db: deps.db.db,
  blobs: deps.blobs,
  config: deps.config,
  storedBlobs: deps.hooks.storedBlobs,
  refused: deps.refusedUploads,
});
