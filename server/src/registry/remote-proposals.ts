// Proposals that cross instances. At the fork's instance: a proposal made to a mirrored design, its delivery to
// the design's home and the decision the home sends back. At the design's home: proposals other instances made,
// recorded with their remote author (`bob@b.example`) and the verified copy of the fork's version.
import { and, eq, isNull } from 'drizzle-orm';
import type { Db, Executor } from '../db/client.js';
import type { Caller } from '../accounts/accounts.js';
import { proposalComments, proposals } from './tables.js';
import type { VersionRow } from './versions.js';
import type { DesignRow } from './designs.js';
import type { ProposalRow } from './proposals.js';

/** Where a received proposal came from: its object at the fork's instance, its author's actor and inbox. */
export interface ProposalOrigin {
  object: string;
  actor: string;
  inbox: string;
}

export async function findRemoteProposal(db: Executor, remoteObject: string): Promise<ProposalRow | undefined> {
  const [row] = await db.select().from(proposals).where(eq(proposals.remoteObject, remoteObject)).limit(1);
  return row;
}

/** A proposal another instance made to a design here; delivered twice, the first one stands. */
export async function recordRemoteProposal(
  db: Db,
  target: DesignRow,
  from: VersionRow,
  author: Caller,
  message: string,
  origin: ProposalOrigin,
): Promise<ProposalRow> {
  const [row] = await db
    .insert(proposals)
    .values({
      designId: target.id,
      fromVersionId: from.id,
      authorId: author.id,
      message,
      remoteObject: origin.object,
      remoteActor: origin.actor,
      remoteInbox: origin.inbox,
    })
    .onConflictDoNothing({ target: proposals.remoteObject })
    .returning();
  return row ?? (await findRemoteProposal(db, origin.object))!;
}

export async function setProposalDelivery(
  db: Executor,
  id: string,
  delivery: 'queued' | 'delivered' | 'failed',
  error: string | null = null,
): Promise<void> {
  await db.update(proposals).set({ delivery, deliveryError: error }).where(eq(proposals.id, id));
}

/** The proposal's Offer went into the federation queue (once: a restart offers only those without one). */
export async function markProposalOffered(db: Executor, id: string): Promise<void> {
  await db.update(proposals).set({ offeredAt: new Date() }).where(eq(proposals.id, id));
}

/** Proposals to mirrored designs whose Offer was never queued (the process stopped in between). */
export async function proposalsAwaitingOffer(db: Executor): Promise<string[]> {
  const rows = await db
    .select({ id: proposals.id })
    .from(proposals)
    .where(and(eq(proposals.delivery, 'queued'), isNull(proposals.offeredAt)));
  return rows.map((r) => r.id);
}

/**
 * The design's home decided: recorded here as decided there (by the remote account of its lead), with the version it
 * became as named here. Only an open proposal changes: a decision delivered twice changes nothing the second time.
 */
export async function applyRemoteDecision(
  db: Executor,
  p: ProposalRow,
  lead: Caller,
  decision: { state: 'accepted'; acceptedRef: string } | { state: 'declined'; reason: string },
): Promise<boolean> {
  const rows = await db
    .update(proposals)
    .set({
      state: decision.state,
      reason: decision.state === 'declined' ? decision.reason : null,
      acceptedRef: decision.state === 'accepted' ? decision.acceptedRef : null,
      decidedBy: lead.id,
      decidedAt: new Date(),
      delivery: 'delivered',
      deliveryError: null,
    })
    .where(and(eq(proposals.id, p.id), eq(proposals.state, 'open')))
    .returning({ id: proposals.id });
  return rows.length > 0;
}

/** A comment made on the other instance (its Note's id there): added once, however often it is delivered. */
export async function addRemoteComment(
  db: Executor,
  p: ProposalRow,
  author: Caller,
  body: string,
  note: string,
): Promise<void> {
  await db
    .insert(proposalComments)
    .values({ proposalId: p.id, authorId: author.id, body, remoteNote: note })
    .onConflictDoNothing({ target: proposalComments.remoteNote });
}

/** A comment by id with its proposal (what the federation sends on), or undefined. */
export async function findComment(db: Executor, id: string) {
  const [c] = await db.select().from(proposalComments).where(eq(proposalComments.id, id)).limit(1);
  return c;
}
