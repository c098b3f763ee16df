// The mirror side of the network: what the protocol side tells it (a design, its versions, yanks, tombstones,
// takedowns, blocks) becomes a read-only copy here — versions copied by the durable mirror-version job.
import type { Db, Executor } from '../db/client.js';
import { AppError, msg } from '../errors.js';
import type { EventBus } from '../events.js';
import { ensureRemoteOwner } from '../accounts/remote-owners.js';
import type { DesignChangedHook } from '../registry/design-changed.js';
import {
  findMirroredDesign,
  copiedVersionByObject,
  listMirroredVersions,
  mirroredDesignsOf,
  recordMirroredVersion,
  requeueFailedMirror,
  setMirrorFlags,
  setMirroredField,
  setMirroredYank,
  takeDownMirroredVersion,
  type MirroredDesignInput,
  upsertMirroredDesign,
} from '../registry/mirrors.js';
import type { DesignRow } from '../registry/tables.js';
import { setForkOrigin } from '../registry/designs.js';
import { enqueue } from '../pipeline/queue.js';
import type { MirrorSink, RemoteDesign, RemoteVersion } from './remote-version.js';
import { mirrorAttempts, mirrorPriority } from './mirror-job.js';

export interface DesignMirrorDeps {
  db: Db;
  events: EventBus;
  designChanged: readonly DesignChangedHook[];
  /** wake the pipeline's worker: a mirror job was queued */
  wake(): void;
}

// What becomes a path segment here (owner@instance/slug) is held to names that cannot climb or split a path
const remoteName = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9_])?$/;
const remoteSlug = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const instanceName = /^(?:[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;

/** 422 when a remote design's names would not make a safe local address. */
function checkRemoteNames(design: RemoteDesign): void {
  const bad = (field: string, value: string) =>
    new AppError('unprocessable', msg('federation.remoteName', { field, value: value.slice(0, 100) }), {
      errors: [{ field, value: value.slice(0, 100), message: msg('fields.notAUsableName') }],
    });
  if (!remoteName.test(design.owner) || design.owner.includes('..')) throw bad('owner', design.owner);
  if (!remoteSlug.test(design.slug)) throw bad('slug', design.slug);
  if (!instanceName.test(design.instance) || design.instance.includes('..')) throw bad('instance', design.instance);
}

/** The durable job that copies one version (fetch, verify, publish here). */
const queueCopy = (tx: Executor, designId: string, version: string) =>
  enqueue(
    tx,
    'mirror-version',
    { designId, version },
    { subject: designId, priority: mirrorPriority, maxAttempts: mirrorAttempts },
  );

export class DesignMirror implements MirrorSink {
  constructor(private readonly deps: DesignMirrorDeps) {}

  async design(design: RemoteDesign): Promise<void> {
    checkRemoteNames(design);
    const owner = await ensureRemoteOwner(this.deps.db, design.owner, design.instance);
    const input: MirroredDesignInput = {
      actorUri: design.actorUri,
      url: design.url,
      instance: design.instance,
      slug: design.slug,
      title: design.title,
      summary: design.summary,
      tags: design.tags,
      licenses: design.license ? { hardware: design.license } : {},
      followers: design.followers,
    };
    await upsertMirroredDesign(this.deps.db, owner, input, this.deps.designChanged);
    this.deps.events.changed();
  }

  async version(designActorUri: string, version: RemoteVersion): Promise<void> {
    const design = await this.known(designActorUri);
    const remote = version as unknown as Record<string, unknown>;
    const queued = await this.deps.db.transaction(async (tx) => {
      // new, or announced again after its copy failed (the origin fixed a file, the follow was renewed): queued
      const copy =
        (await recordMirroredVersion(tx, design.id, version.version, version.objectUri, remote)) ||
        (await requeueFailedMirror(tx, design.id, version.version, { objectUri: version.objectUri, remote }));
      if (copy) await queueCopy(tx, design.id, version.version);
      return copy;
    });
    if (queued) this.queued();
    if (version.forkedFrom && !design.forkedFromVersionId) await this.linkFork(design, version.forkedFrom);
  }

  /**
   * A fork's version names what it was forked from: when that is a version copied here (a mirror of another
   * instance's design), the copy of the fork is its fork here too, as it is at the fork's home. (The parent's own home
   * checks the claim against the fork's version object: see remote-forks.ts.)
   */
  private async linkFork(design: DesignRow, forkedFrom: string): Promise<void> {
    const parent = await copiedVersionByObject(this.deps.db, forkedFrom);
    if (parent) await setForkOrigin(this.deps.db, design.id, parent);
  }

  async retryFailed(designActorUri: string, version?: string): Promise<string[]> {
    const design = await this.known(designActorUri);
    const failed = (await listMirroredVersions(this.deps.db, design.id))
      .filter((r) => r.state === 'failed' && (version === undefined || r.version === version))
      .map((r) => r.version);
    const retried = await this.deps.db.transaction(async (tx) => {
      const done: string[] = [];
      for (const v of failed)
        if (await requeueFailedMirror(tx, design.id, v)) {
          await queueCopy(tx, design.id, v);
          done.push(v);
        }
      return done;
    });
    if (retried.length) this.queued();
    return retried;
  }

  private queued() {
    this.deps.wake();
    this.deps.events.changed();
  }

  async yanked(designActorUri: string, version: string, yanked: boolean): Promise<void> {
    const design = await this.known(designActorUri);
    await setMirroredYank(this.deps.db, design, version, yanked, this.deps.designChanged);
    this.changed(design);
  }

  async fieldData(designActorUri: string, version: string, field: Record<string, unknown>): Promise<void> {
    const design = await this.known(designActorUri);
    await setMirroredField(this.deps.db, design, version, field);
    this.changed(design);
  }

  async originGone(designActorUri: string): Promise<void> {
    const design = await this.known(designActorUri);
    await setMirrorFlags(this.deps.db, [design.id], { originGone: true }, this.deps.designChanged);
    this.changed(design);
  }

  async takenDown(designActorUri: string, version?: string): Promise<void> {
    const design = await this.known(designActorUri);
    if (version === undefined) {
      await setMirrorFlags(this.deps.db, [design.id], { hidden: true }, this.deps.designChanged);
    } else {
      await takeDownMirroredVersion(this.deps.db, design, version, this.deps.designChanged);
    }
    this.changed(design);
  }

  /** This copy's documents changed, and no other design's (the response caches of every process drop them). */
  private changed(design: DesignRow): void {
    this.deps.events.changed([`${design.ownerHandle}/${design.slug}`]);
  }

  async instanceBlocked(instance: string, blocked: boolean): Promise<void> {
    const ids = await mirroredDesignsOf(this.deps.db, instance);
    await setMirrorFlags(this.deps.db, ids, { originBlocked: blocked }, this.deps.designChanged);
    this.deps.events.changed();
  }

  private async known(actorUri: string): Promise<DesignRow> {
    const design = await findMirroredDesign(this.deps.db, actorUri);
    // the protocol side hands a design before its versions; anything else is its mistake, said loudly
    if (!design) throw new Error(`No mirrored design has the actor ${actorUri}: call design() first`);
    return design;
  }
}
