// Improvement proposals: a fork's owner proposes one of its versions upstream; upstream leads comment, then
// accept it (a new upstream version made through the one publish path, credit in the manifest) or decline it.
// A proposal of kind `translation` (translation-proposals.ts) is listed, discussed and decided the same way.
import { and, asc, desc, eq } from 'drizzle-orm';
import type { Db, Executor } from '../db/client.js';
import { AppError, composed, forbidden, msg, notFound } from '../errors.js';
import type { Caller } from '../accounts/accounts.js';
import { users } from '../accounts/tables.js';
import { blobs, designs, designVersions, proposalComments, proposals } from './tables.js';
import { findVisibleDesign, isLead, requireLead, type DesignRow } from './designs.js';
import { leadIds } from './leads.js';
import { notify } from '../notifications/notify.js';
import { proposalSubject } from '../notifications/subjects.js';
import { filesOf, resolveVersion, type VersionRow } from './versions.js';
import { commitVersion, type PublishContext, type PublishDeps, type PublishInput } from './publish.js';
import { describeTranslation, translationPublishInput } from './translation-proposals.js';
import { validateManifest } from './manifest.js';
import { designLanguage } from './design-language.js';
import { inSameFamily, parentOf } from './lineage.js';
import { isMirror } from './mirrors.js';
import { formatVersionRef, parseVersionRef } from './version-ref.js';
import type { ProposalAccept, ProposalCreate } from '../schema-types.js';

export type ProposalRow = typeof proposals.$inferSelect;

export type ProposalChange = { kind: 'proposed' } | { kind: 'commented'; commentId: string } | { kind: 'decided' };

/** Told after a proposal was made, commented on (with the comment's id) or decided, once committed. */
export type ProposalChangedHook = (proposalId: string, change: ProposalChange) => void;

export async function createProposal(
  db: Db,
  target: DesignRow,
  caller: Caller,
  body: ProposalCreate,
): Promise<ProposalRow> {
  const ref = parseVersionRef(body.from)!;
  const fork = await findVisibleDesign(db, ref.owner, ref.slug, caller);
  if (fork.id === target.id)
    throw new AppError('unprocessable', msg('proposals.fromItself'), {
      errors: [{ field: '/from', value: body.from, message: msg('fields.thisDesign') }],
    });
  if (!(await isLead(db, fork, caller)))
    throw forbidden(msg('forbidden.leadsPropose', { design: `${fork.ownerHandle}/${fork.slug}` }));
  if (!(await inSameFamily(db, fork, target))) {
    throw new AppError(
      'unprocessable',
      msg('proposals.notInFamily', {
        fork: `${fork.ownerHandle}/${fork.slug}`,
        design: `${target.ownerHandle}/${target.slug}`,
      }),
      { errors: [{ field: '/from', value: body.from, message: msg('fields.notInFamily') }] },
    );
  }
  const version = await resolveVersion(db, fork, ref.version);
  if (version.state !== 'published') throw new AppError('conflict', msg('proposals.yanked', { from: body.from }));
  const [row] = await db
    .insert(proposals)
    .values({
      designId: target.id,
      fromVersionId: version.id,
      authorId: caller.id,
      message: body.message,
      // to a mirrored design: decided at its home, where it is delivered (federation/remote-proposals.ts)
      delivery: isMirror(target) ? 'queued' : null,
    })
    .returning();
  await notify(db, {
    userIds: await leadIds(db, target),
    kind: 'proposal',
    subject: proposalSubject(target, row.id),
    actorId: caller.id,
  });
  return row;
}

export async function findProposal(db: Executor, target: DesignRow, id: string): Promise<ProposalRow> {
  const [row] = await db
    .select()
    .from(proposals)
    .where(and(eq(proposals.id, id), eq(proposals.designId, target.id)))
    .limit(1);
  if (!row) throw notFound(msg('notFound.proposal', { id, design: `${target.ownerHandle}/${target.slug}` }));
  return row;
}

async function handleOf(db: Executor, id: string | null): Promise<string | null> {
  if (!id) return null;
  const [u] = await db.select({ handle: users.handle }).from(users).where(eq(users.id, id)).limit(1);
  return u?.handle ?? null;
}

async function versionRefOf(db: Executor, versionId: string | null): Promise<string | null> {
  if (!versionId) return null;
  const [r] = await db
    .select({ owner: designs.ownerHandle, slug: designs.slug, version: designVersions.version })
    .from(designVersions)
    .innerJoin(designs, eq(designs.id, designVersions.designId))
    .where(eq(designVersions.id, versionId))
    .limit(1);
  return r ? formatVersionRef(r) : null;
}

/** The API shape of a proposal, with its comments when asked. */
export async function describeProposal(db: Executor, target: DesignRow, p: ProposalRow, withComments = false) {
  const comments = withComments
    ? (
        await db
          .select({
            id: proposalComments.id,
            author: users.handle,
            body: proposalComments.body,
            createdAt: proposalComments.createdAt,
          })
          .from(proposalComments)
          .innerJoin(users, eq(users.id, proposalComments.authorId))
          .where(and(eq(proposalComments.proposalId, p.id), eq(proposalComments.hidden, false)))
          .orderBy(asc(proposalComments.createdAt), asc(proposalComments.id))
      ).map((c) => ({ ...c, createdAt: c.createdAt.toISOString() }))
    : undefined;
  return {
    id: p.id,
    design: `${target.ownerHandle}/${target.slug}`,
    from: await versionRefOf(db, p.fromVersionId),
    author: await handleOf(db, p.authorId),
    message: p.message,
    state: p.state,
    reason: p.reason,
    decidedBy: await handleOf(db, p.decidedBy),
    decidedAt: p.decidedAt?.toISOString() ?? null,
    acceptedVersion: (await versionRefOf(db, p.acceptedVersionId)) ?? p.acceptedRef,
    createdAt: p.createdAt.toISOString(),
    kind: p.kind as 'fork' | 'translation',
    ...(p.kind === 'translation' ? { translation: await describeTranslation(db, p) } : {}),
    ...(p.delivery
      ? { delivery: p.delivery as 'queued' | 'delivered' | 'failed', deliveryError: p.deliveryError }
      : {}),
    ...(comments ? { comments } : {}),
  };
}

export async function listProposals(db: Executor, target: DesignRow, state?: string) {
  const rows = await db
    .select()
    .from(proposals)
    .where(and(eq(proposals.designId, target.id), state ? eq(proposals.state, state) : undefined))
    .orderBy(desc(proposals.createdAt), desc(proposals.id))
    .limit(200);
  return { items: await Promise.all(rows.map((p) => describeProposal(db, target, p))), nextCursor: null };
}

/**
 * Where a proposal's compare starts: the version of the target the fork derives from (walking `forked_from`
 * up the chain), else the target's latest version.
 */
export async function proposalBase(
  db: Executor,
  target: DesignRow,
  fromVersion: VersionRow,
): Promise<VersionRow | undefined> {
  const [fork] = await db.select().from(designs).where(eq(designs.id, fromVersion.designId)).limit(1);
  let at: DesignRow | undefined = fork;
  for (let depth = 0; at && depth < 32; depth++) {
    const up = await parentOf(db, at);
    if (!up) break;
    if (up.design.id === target.id) return resolveVersion(db, target, up.version.version);
    at = up.design;
  }
  return resolveVersion(db, target, 'latest').catch(() => undefined);
}

export async function addComment(db: Db, p: ProposalRow, caller: Caller, body: string) {
  const [c] = await db.insert(proposalComments).values({ proposalId: p.id, authorId: caller.id, body }).returning();
  return { id: c.id, author: caller.handle, body: c.body, createdAt: c.createdAt.toISOString() };
}

function notOpen(p: ProposalRow) {
  return new AppError('conflict', composed('proposals.notOpen', { state: msg('states.proposal', { state: p.state }) }));
}

/** Moves an open proposal to a decision atomically: of two leads deciding at once, one wins and the other gets 409. */
async function decide(
  db: Executor,
  p: ProposalRow,
  caller: Caller,
  state: 'accepted' | 'declined',
  reason: string | null,
): Promise<ProposalRow> {
  const [row] = await db
    .update(proposals)
    .set({ state, reason, decidedBy: caller.id, decidedAt: new Date() })
    .where(and(eq(proposals.id, p.id), eq(proposals.state, 'open')))
    .returning();
  if (!row) throw notOpen(await findProposalById(db, p.id));
  return row;
}

export async function findProposalById(db: Executor, id: string): Promise<ProposalRow> {
  const [row] = await db.select().from(proposals).where(eq(proposals.id, id)).limit(1);
  return row;
}

export async function declineProposal(
  db: Db,
  target: DesignRow,
  p: ProposalRow,
  caller: Caller,
  reason: string,
): Promise<ProposalRow> {
  await requireLead(db, target, caller);
  return decide(db, p, caller, 'declined', reason);
}

/**
 * Accepts: the proposal is claimed first (so a second accept gets 409), then the fork's files, BOM and manifest (or,
 * for a translation, the latest version's with the translation added) become a new version through commitVersion;
 * if publishing fails, the proposal is open again.
 */
export async function acceptProposal(
  deps: PublishDeps,
  target: DesignRow,
  p: ProposalRow,
  caller: Caller,
  body: ProposalAccept,
): Promise<{ proposal: ProposalRow; published: PublishContext }> {
  const db = deps.db;
  await requireLead(db, target, caller);
  if (p.state !== 'open') throw notOpen(p);
  const author = await handleOf(db, p.authorId);
  const input =
    p.kind === 'translation'
      ? await translationPublishInput(db, target, p, author, body)
      : await forkPublishInput(db, target, p, author, body);
  const claimed = await decide(db, p, caller, 'accepted', null);
  let published: PublishContext;
  try {
    published = await commitVersion(deps, target, caller, input);
  } catch (err) {
    await db.update(proposals).set({ state: 'open', decidedBy: null, decidedAt: null }).where(eq(proposals.id, p.id));
    throw err;
  }
  const [done] = await db
    .update(proposals)
    .set({ acceptedVersionId: published.version.id })
    .where(eq(proposals.id, claimed.id))
    .returning();
  return { proposal: done, published };
}

/** A fork's proposal: the fork's files, BOM and manifest, credited, numbered as the lead chose. */
async function forkPublishInput(
  db: Executor,
  target: DesignRow,
  p: ProposalRow,
  author: string | null,
  body: ProposalAccept,
): Promise<PublishInput> {
  if (!body.version)
    throw new AppError('validation', msg('translationProposals.versionRequired'), {
      errors: [{ field: '/version', message: msg('translationProposals.fieldEmpty') }],
    });
  const [from] = await db.select().from(designVersions).where(eq(designVersions.id, p.fromVersionId)).limit(1);
  const fromRef = (await versionRefOf(db, from.id))!;
  const { 'fork-of': _forkOf, ...rest } = from.manifest;
  const contributors = Array.isArray(rest.contributors) ? rest.contributors : [];
  const upstreamOf = await parentOf(db, target);
  const manifest = validateManifest({
    ...rest,
    version: body.version,
    // published for everyone: in the design's language, not the lead's
    changelog:
      body.changelog ??
      from.changelog ??
      designLanguage(rest).t('proposals.defaultChangelog', { author: author ?? '', from: fromRef }),
    contributors: [...contributors, { handle: author, from: fromRef }],
    'accepted-from': fromRef,
    // the target keeps its own provenance when it is a fork itself
    ...(upstreamOf
      ? {
          'fork-of': formatVersionRef({
            owner: upstreamOf.design.ownerHandle,
            slug: upstreamOf.design.slug,
            version: upstreamOf.version.version,
          }),
        }
      : {}),
  });
  const forkFiles = await filesOf(db, from.id);
  let bom: { path: string; sha256: string; size: number } | undefined;
  if (from.bomBlob) {
    const [b] = await db.select().from(blobs).where(eq(blobs.sha256, from.bomBlob)).limit(1);
    bom = { path: from.bomFilename ?? 'bom.csv', sha256: b.sha256, size: b.size };
  }
  return { manifest, bom, files: forkFiles.map((f) => ({ path: f.path, sha256: f.sha256, size: f.size })) };
}

/** Moderation: a hidden comment is left out of its proposal. */
export async function setCommentHidden(db: Executor, id: string, hidden: boolean): Promise<void> {
  const rows = await db
    .update(proposalComments)
    .set({ hidden })
    .where(eq(proposalComments.id, id))
    .returning({ id: proposalComments.id });
  if (!rows.length) throw notFound.comment(id);
}

/** Whether a comment exists (what a report may name). */
/** A comment exists for this caller: hidden ones (or those on a hidden design) only for their author and admins. */
export async function commentVisibleTo(db: Executor, id: string, caller: Caller | undefined): Promise<boolean> {
  const [c] = await db
    .select({
      authorId: proposalComments.authorId,
      hidden: proposalComments.hidden,
      designOwner: designs.ownerId,
      designHidden: designs.hidden,
    })
    .from(proposalComments)
    .innerJoin(proposals, eq(proposals.id, proposalComments.proposalId))
    .innerJoin(designs, eq(designs.id, proposals.designId))
    .where(eq(proposalComments.id, id))
    .limit(1);
  if (!c) return false;
  if (caller?.isAdmin) return true;
  if (c.designHidden && caller?.id !== c.designOwner) return false;
  return !c.hidden || caller?.id === c.authorId;
}
