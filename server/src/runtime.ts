// Opens the runtime dependencies from a configuration: database (migrated), blob store, hooks.
import { join } from 'node:path';
import type { Config } from './config.js';
import { openDatabase, migrateDatabase, type Database } from './db/client.js';
import { FsBlobStore } from './storage/fs-store.js';
import { S3BlobStore } from './storage/s3-store.js';
import type { BlobStore } from './storage/blob-store.js';
import { emptyHooks, type AppDeps } from './hooks.js';
import { EventBus } from './events.js';
import { pgRelay } from './db/pg-relay.js';
import { bomPublishHook } from './bom/publish-hook.js';
import { bomVersionSection, copyBom, distinctPartsOf } from './bom/store.js';
import { recordPartNames } from './search/parts.js';
import { completenessVersionSection, versionCompleteness } from './interop/completeness.js';
import { boardsVersionSection } from './electronics/boards.js';
import { openProblemsSection, openQuestionsSection } from './community/discussion-sections.js';
import { refreshDesignSearch, setDesignFieldStats, setDesignCompleteness } from './search/refresh.js';
import { latestPublishedVersion } from './registry/versions.js';
import { publishedBlobsOf } from './registry/quota.js';
import { RefusedUploads } from './registry/refused-uploads.js';
import { DownloadCounter } from './registry/downloads.js';
import { designChanged } from './registry/design-changed.js';
import { approvedBuildStats, buildActivitySource } from './builds/activity.js';
import { workshopsOfMember } from './builds/workshops.js';
import { profileOfMe } from './community/profile-edit.js';
import { photoBlobsOf } from './builds/photo-records.js';
import { partSubstitutes } from './builds/part-substitutes.js';
import { Pipeline, type PipelineOptions } from './pipeline/pipeline.js';
import { createAndechaFederation } from './federation/federation.js';
import { federationQueueStats } from './federation/message-queue.js';
import { federationMetrics } from './metrics/federation.js';
import { DesignMirror } from './federation/mirror.js';
import { RemoteBuilds } from './federation/remote-builds.js';
import { RemoteProposals } from './federation/remote-proposals.js';
import { RemoteDiscussions } from './federation/remote-discussions.js';
import { mirrorVersionJob } from './federation/mirror-job.js';
import { forkNoticeHandler, tellHomeOfFork } from './federation/remote-forks.js';
import { queueStats } from './pipeline/queue.js';
import { announceNotifications } from './notifications/announce.js';
import { isWatching } from './notifications/watches.js';
import { DigestSchedule } from './notifications/digest-schedule.js';
import { smtpMailer } from './notifications/mailer.js';
import { hasStarred } from './community/stars.js';
import { createMetrics } from './metrics/registry.js';
import { meteredBlobStore } from './metrics/blob-store.js';
import { recordJob } from './metrics/jobs.js';
import { watchQueue } from './metrics/queue.js';
import { watchDatabasePool } from './metrics/database.js';
import { watchDataDisk } from './metrics/disk.js';

/** Stops what openRuntime started: worker, thread pool, database. */
export async function closeRuntime(deps: AppDeps): Promise<void> {
  await deps.federation?.stop();
  await deps.digest?.stop();
  await deps.pipeline?.close();
  // before the database: a request cut by the shutdown is still cleaning up its upload
  await deps.blobs.close?.();
  // the downloads counted since the last write: a clean stop loses none
  await deps.downloads.close();
  await deps.events.close();
  await deps.db.close();
}

export async function openBlobStore(config: Config): Promise<BlobStore> {
  if (config.blobStore === 's3') return new S3BlobStore(config.s3);
  return new FsBlobStore(join(config.dataDir, 'blobs')).init();
}

/** Database + migrations + blob store + the domain hooks, ready for buildApp. */
export async function openRuntime(
  config: Config,
  database?: Database,
  pipelineOptions: Partial<PipelineOptions> = {},
): Promise<AppDeps> {
  const db = database ?? (await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir }));
  await migrateDatabase(db);
  const metrics = createMetrics();
  // every domain is handed the counted store: operations and errors show in the metrics
  const blobs = meteredBlobStore(await openBlobStore(config), metrics.blobs);
  watchQueue(metrics.registry, () => queueStats(db.db));
  watchDatabasePool(metrics.registry, db.poolStats);
  watchDataDisk(metrics.registry, config.dataDir);
  const hooks = emptyHooks();
  const events = new EventBus();
  // API replicas and separate workers on one PostgreSQL hear each other (progress, changes, enqueued jobs)
  if (db.kind === 'postgres' && db.url)
    await events.connect(pgRelay(db.url, (channel, payload) => db.raw('select pg_notify($1, $2)', [channel, payload])));
  const pipeline = new Pipeline(config, db.db, blobs, events, {
    runWorker: config.runWorker,
    ...(config.jobLeaseMs ? { leaseMs: config.jobLeaseMs } : {}),
    onJobOutcome: (job, outcome, seconds) => recordJob(metrics.jobs, job.kind, outcome, seconds),
    ...pipelineOptions,
  });
  hooks.onPublished.push(bomPublishHook(blobs));
  // a saved BOM's parts join the searchable part names (search sits above the BOM: it is told, not called)
  hooks.onPublished.push(async (tx, ctx) => {
    if (ctx.input.bom) await recordPartNames(tx, await distinctPartsOf(tx, ctx.version.id));
  });
  // a fork's first version carries the upstream BOM unchanged
  hooks.onForked.push(async (tx, { fromVersionId, toVersionId }) => {
    await copyBom(tx, fromVersionId, toVersionId);
    await recordPartNames(tx, await distinctPartsOf(tx, toVersionId));
  });
  hooks.versionSections.push(bomVersionSection);
  hooks.versionSections.push(completenessVersionSection);
  hooks.versionSections.push(boardsVersionSection);
  hooks.versionSections.push(openProblemsSection, openQuestionsSection);
  hooks.designChanged.push(refreshDesignSearch);
  hooks.designChanged.push(async (exec, designId) => {
    const stats = await approvedBuildStats(exec, designId);
    await setDesignFieldStats(exec, designId, stats.approved, stats.countries);
  });
  hooks.designChanged.push(async (exec, designId) => {
    const latest = await latestPublishedVersion(exec, designId);
    await setDesignCompleteness(exec, designId, latest ? (await versionCompleteness(exec, latest)).score : null);
  });
  hooks.buildActivity.push(buildActivitySource);
  // notified people's own event streams hear of it once the notifying write commits
  announceNotifications(db.db, (userIds) => events.notified(userIds));
  hooks.designViewer.push(async (exec, designId, userId) => ({
    starred: await hasStarred(exec, userId, designId),
    watching: await isWatching(exec, userId, 'design', designId),
  }));
  hooks.meSections.push(workshopsOfMember);
  hooks.meSections.push(profileOfMe);
  hooks.partSubstitutes.push(partSubstitutes);
  // the quota: versions' files and BOMs, and build report photos (as uploaded and as kept)
  hooks.storedBlobs.push(publishedBlobsOf, photoBlobsOf);
  // after the BOM hook: the search row includes the new version's BOM lines and completeness
  hooks.onPublished.push(async (tx, ctx) => {
    await designChanged(tx, hooks.designChanged, ctx.design.id);
  });
  // last: a version is queued once everything above has written its rows, and its queue wakes after the commit
  hooks.onPublished.push(async (tx, ctx) => {
    await pipeline.enqueueVersion(tx, ctx.version.id, ctx.priority, ctx.caller.requestId);
  });
  hooks.afterPublished.push(() => pipeline.wake());
  hooks.fileStored.push((file, units) =>
    pipeline.fileStored({ sha256: file.sha256, path: file.path, units }, file.size),
  );
  // verified copies of remote designs: the job publishes through the same hooks as an upload
  pipeline.register(
    mirrorVersionJob({
      db: db.db,
      blobs,
      config,
      publish: { onPublished: hooks.onPublished, afterPublished: hooks.afterPublished },
      designChanged: hooks.designChanged,
    }),
  );
  const mirror = new DesignMirror({
    db: db.db,
    events,
    designChanged: hooks.designChanged,
    wake: () => pipeline.wake(),
  });
  pipeline.start();
  const refusedUploads = new RefusedUploads(db.db, config.refusedUploadBytesPerHour);
  const downloads = new DownloadCounter(db.db, (err) =>
    console.warn(`download counts not written yet (kept for the next try): ${(err as Error)?.message ?? err}`),
  );
  const deps: AppDeps = {
    config,
    db,
    blobs,
    hooks,
    events,
    pipeline,
    refusedUploads,
    downloads,
    mirror,
    metrics,
    startup: { done: false },
  };
  if (config.federation) wireFederation(deps);
  // the email digest: off unless an SMTP server and a cadence are configured; its hourly runs where jobs run
  if (config.smtpUrl && config.digest !== 'off') {
    deps.digest = new DigestSchedule(db.db, smtpMailer(config.smtpUrl, config.mailFrom), {
      cadence: config.digest,
      publicUrl: config.publicUrl,
      batch: config.digestBatch,
    });
    if (config.runWorker) deps.digest.start();
  }
  return deps;
}

/** ActivityPub: the registry's events become activities to each design's followers (queued, retried). */
function wireFederation(deps: AppDeps) {
  const metrics = federationMetrics(deps.metrics.registry, () => federationQueueStats(deps.db));
  const fed = createAndechaFederation({
    database: deps.db,
    config: deps.config,
    sink: () => deps.mirror,
    onDelivery: (outcome) => metrics.deliveries.inc({ outcome }),
    onReceived: (type) => metrics.received.inc({ type }),
  });
  deps.federation = fed;
  // after the commit, off the request: a delivery never delays or fails a publish
  const later = (what: string, work: () => Promise<void>) =>
    void work().catch((err) => console.warn(`federation: ${what} not sent: ${err?.message ?? err}`));
  deps.hooks.afterPublished.push((ctx) =>
    later('Create', () => fed.versionChanged(ctx.design, ctx.version.version, 'published')),
  );
  deps.hooks.versionYanked.push((design, version) =>
    later('Update', () => fed.versionChanged(design, version, 'updated')),
  );
  deps.hooks.designEdited.push((design, before) => {
    later('Update', () => fed.designEdited(design));
    // a fork kept local-only until now: its upstream's home hears of it as it would have at the fork
    if (before && !before.federation && design.federation)
      later('fork notice', () => tellHomeOfFork(fed.context(), deps.db.db, deps.config.publicUrl, design));
  });
  deps.hooks.designTakenDown.push((design) => later('Delete', () => fed.designDeleted(design, 'taken-down')));
  // forks across instances: a fork of a mirror tells its home; a home records forks made elsewhere and follows them
  deps.hooks.designForked.push((fork) =>
    later('fork notice', () => tellHomeOfFork(fed.context(), deps.db.db, deps.config.publicUrl, fork)),
  );
  fed.inbox.create.push(
    forkNoticeHandler({
      db: deps.db.db,
      allowPrivate: deps.config.federationAllowPrivate,
      following: fed.following,
      sink: () => deps.mirror,
    }),
  );
  deps.hooks.accountDeleted.push((handle, designIds) => later('Delete', () => fed.accountDeleted(handle, designIds)));
  // build reports of mirrored designs go to their home; reviews made here of reports from elsewhere go back
  const builds = new RemoteBuilds({
    database: deps.db,
    config: deps.config,
    blobs: deps.blobs,
    fed,
    wake: () => deps.pipeline?.wake(),
  });
  builds.register();
  deps.hooks.buildReportChanged.push((id, change) => builds.changed(id, change));
  later('build report offers', () => builds.resume());
  // proposals to mirrored designs go to their home; its decisions come back; comments go both ways
  const proposals = new RemoteProposals({ database: deps.db, config: deps.config, fed });
  proposals.register();
  deps.hooks.proposalChanged.push((id, change) => proposals.changed(id, change));
  deps.hooks.afterPublished.push((ctx) => proposals.versionPublished(ctx.design, ctx.version.version));
  later('proposal offers', () => proposals.resume());
  // discussions go to a design's followers; replies on a mirror go to its home; Notes from the fediverse come in
  const talk = new RemoteDiscussions({ database: deps.db, config: deps.config, fed });
  talk.register();
  deps.hooks.discussionChanged.push((id, change) => talk.changed(id, change));
}
