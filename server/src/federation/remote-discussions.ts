// Discussions across instances. A design's home serves each discussion as a Note (`/ap/discussions/{id}`, in reply
// to the version post it is about) and each reply as a Note in reply to it (`/ap/discussion-replies/{id}`), and
// sends them to the design's followers from the design's actor: Create when posted, Update when edited, answered,
// closed or shown again, Delete when hidden. A mirror takes them only from the design's actor at its home and reads
// the object from there (Fedify's compaction drops the Andecha extension, and the home's copy is authoritative).
// A question or reply posted on a mirror goes to the home as a Create of a Note from its author (a question in reply
// to the version's post, or addressed to the design's actor; the home reads its title and kind from the Note the
// mirror serves); the home records it as theirs (`handle@host`) and relays it to the followers, and when the home's
// copy comes back the mirror's row becomes that thread. A Note from anyone (Mastodon, another Andecha) in reply to a
// version post, or addressed to a design's actor, starts a question; one in reply to a discussion or one of its
// replies answers it. A thread a moderator takes down at the home goes as a Delete (hidden on the mirrors), shown again
// as an Update when restored.
import { Create, Delete, Note, Update, fetchDocumentLoader, type InboxContext } from '@fedify/fedify';
import sanitizeHtml from 'sanitize-html';
import type { Config } from '../config.js';
import type { Caller } from '../accounts/accounts.js';
import type { Database } from '../db/client.js';
import { ensureRemoteOwner } from '../accounts/remote-owners.js';
import { findDesignById, type DesignRow } from '../registry/designs.js';
import { copiedVersionByObject, findMirroredDesign, findMirroredVersion } from '../registry/mirrors.js';
import { takenDownHere } from '../moderation/reports.js';
import { renderDiscussionMarkdown } from '../community/discussion-markdown.js';
import { markdownLinksOf, selectDiscussions } from '../community/discussions.js';
import { discussions as discussionsTable } from '../community/tables.js';
import {
  applyRemoteDiscussion,
  applyRemoteReply,
  bodyLimit,
  discussionById,
  discussionByNote,
  editRemoteDiscussion,
  editRemoteReply,
  handleOf,
  hideRemoteDiscussion,
  linkToHome,
  recordRemoteDiscussion,
  recordRemoteReply,
  replyById,
  replyByNote,
  titleLimit,
  type DiscussionChange,
} from '../community/discussion-remote.js';
import { eq } from 'drizzle-orm';
import type { AndechaFederation } from './federation.js';
import { isBlocked } from './blocks.js';
import { designIdentifier, parseIdentifier } from './names.js';
import { federatedDesign, versionRow } from './local-designs.js';
import { activityStreams, publicAudience } from './version-object.js';
import { inboxOf } from './remote-forks.js';
import { objectAddresses } from './object-addresses.js';
import { followersOf, type Follower } from './followers.js';

export const discussionContext = {
  andecha: 'https://andecha.org/ns#',
  andechaDiscussion: { '@id': 'andecha:discussion', '@type': '@json' },
} as const;

/** The Andecha extension of a discussion's or reply's Note: what a mirror shows of it. */
export interface DiscussionExtension {
  /** the design's actor at its home */
  design: string;
  /** `handle` at the home, `handle@host` for someone of another instance */
  author: string;
  /** a discussion: its title, kind, state, lock and answer (the answer reply's Note) */
  title?: string;
  kind?: string;
  state?: string;
  locked?: boolean;
  answer?: string | null;
  /** a reply: the discussion's Note, and whether a lead hid it */
  discussion?: string;
  hidden?: boolean;
  /** a thread or reply received from elsewhere: its Note there (its own instance knows it already) */
  original?: string | null;
}

const handlePattern = /^[a-z0-9][a-z0-9-]{0,38}$/;
const kinds = ['question', 'idea', 'problem'] as const;
type Kind = (typeof kinds)[number];
/** where an Andecha instance serves a discussion's Note: the one kind of Note whose extension is worth reading */
const threadPath = /^\/ap\/discussions\/[0-9a-f-]{36}$/;
const reasonOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Text of the HTML a peer sent (Mastodon's `<p>…</p>`): no markup survives; rendered later as Markdown, sanitised. */
export function textOfHtml(html: string): string {
  const spaced = html.replace(/<br\s*\/?>/gi, '\n').replace(/<\/p>\s*<p[^>]*>/gi, '\n\n');
  return sanitizeHtml(spaced, { allowedTags: [], allowedAttributes: {} })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}

/** A title from a Note's summary or the first line of its text, bounded. */
export function titleOf(summary: string | undefined, text: string): string {
  const line = (summary?.trim() || text.split('\n').find((l) => l.trim()) || '').trim();
  const limit = Math.min(titleLimit, 120);
  return line.length > limit ? `${line.slice(0, limit - 1)}…` : line;
}

const recipientOf = (f: Follower) => ({
  id: new URL(f.actorUri),
  inboxId: new URL(f.inbox),
  endpoints: f.sharedInbox ? { sharedInbox: new URL(f.sharedInbox) } : null,
});

export interface RemoteDiscussionsDeps {
  database: Database;
  config: Config;
  fed: AndechaFederation;
}

export class RemoteDiscussions {
  private readonly db;
  private readonly threads: ReturnType<typeof objectAddresses>;
  private readonly replies: ReturnType<typeof objectAddresses>;

  constructor(private readonly deps: RemoteDiscussionsDeps) {
    this.db = deps.database.db;
    this.threads = objectAddresses(deps.config.publicUrl, 'discussions');
    this.replies = objectAddresses(deps.config.publicUrl, 'discussion-replies');
  }

  register(): void {
    const { fed } = this.deps;
    fed.objects.push((url) => this.served(url));
    fed.inbox.create.push((ctx, create) => this.received(ctx, create));
    fed.inbox.update.push((ctx, update) => this.received(ctx, update));
    fed.inbox.delete.push((ctx, del) => this.received(ctx, del));
  }

  /** A discussion changed here (the hook of the discussion routes): send what crosses instances. */
  changed(discussionId: string, change: DiscussionChange): void {
    void this.send(discussionId, change).catch((err) =>
      console.warn(`federation: discussion ${discussionId} (${change.kind}) not sent: ${reasonOf(err)}`),
    );
  }

  // ── the objects ──

  private async served(url: URL): Promise<Record<string, unknown> | undefined> {
    const thread = this.threads.idOf(url);
    if (thread) return this.discussionNote(thread);
    const reply = this.replies.idOf(url);
    return reply ? this.replyNote(reply) : undefined;
  }

  /** The Note a discussion is, to the world: only of a shared design at its home, not hidden. */
  private async discussionNote(id: string): Promise<Record<string, unknown> | undefined> {
    const d = await discussionById(this.db, id);
    if (!d || d.hidden) return undefined;
    const design = await this.homeDesign(d.designId);
    if (!design) return this.askedNote(d.id);
    const [row] = await selectDiscussions(this.db, eq(discussionsTable.id, id), [], 1);
    const ctx = this.deps.fed.context();
    const identifier = designIdentifier(design.ownerHandle, design.slug);
    const html = renderDiscussionMarkdown(d.body, await markdownLinksOf(this.db)(row));
    const answer = d.answerReplyId ? await replyById(this.db, d.answerReplyId) : undefined;
    const ext: DiscussionExtension = {
      design: ctx.getActorUri(identifier).href,
      author: row.author,
      title: d.title,
      kind: d.kind,
      state: d.state,
      locked: d.locked,
      answer: answer ? (answer.remoteNote ?? this.replies.uri(answer.id)) : null,
      original: d.remoteNote,
    };
    return {
      '@context': [activityStreams, discussionContext],
      id: this.threads.uri(d.id),
      type: 'Note',
      attributedTo: this.attribution(design, row.author),
      inReplyTo: row.version
        ? ctx.getObjectUri(Note, { owner: design.ownerHandle, slug: design.slug, version: row.version }).href
        : null,
      to: [publicAudience],
      cc: [ctx.getFollowersUri(identifier).href],
      content: `<p><strong>${sanitizeHtml(d.title, { allowedTags: [] })}</strong></p>${html}`,
      source: { content: d.body, mediaType: 'text/markdown' },
      url: new URL(`/${design.ownerHandle}/${design.slug}/discussions/${d.id}`, this.deps.config.publicUrl).href,
      published: d.createdAt.toISOString(),
      updated: d.updatedAt.toISOString(),
      andechaDiscussion: ext,
    };
  }

  /**
   * A question asked here about a mirrored design, as the design's home reads it: from its author (a person here), to
   * the design's actor there, in reply to the version's post at home; title and kind in the extension.
   */
  private async askedNote(id: string): Promise<Record<string, unknown> | undefined> {
    const [row] = await selectDiscussions(this.db, eq(discussionsTable.id, id), [], 1);
    if (!row?.mirrorOf || row.authorInstance || row.d.hidden) return undefined;
    const d = row.d;
    const copied = row.version ? await findMirroredVersion(this.db, d.designId, row.version) : undefined;
    const html = renderDiscussionMarkdown(d.body, await markdownLinksOf(this.db)(row));
    const ext: DiscussionExtension = { design: row.mirrorOf, author: row.author, title: d.title, kind: d.kind };
    return {
      '@context': [activityStreams, discussionContext],
      id: this.threads.uri(d.id),
      type: 'Note',
      attributedTo: this.deps.fed.context().getActorUri(row.author).href,
      inReplyTo: copied?.objectUri ?? null,
      to: [row.mirrorOf],
      summary: d.title,
      content: `<p><strong>${sanitizeHtml(d.title, { allowedTags: [] })}</strong></p>${html}`,
      source: { content: d.body, mediaType: 'text/markdown' },
      url: new URL(`/${row.owner}/${row.slug}/discussions/${d.id}`, this.deps.config.publicUrl).href,
      published: d.createdAt.toISOString(),
      updated: d.updatedAt.toISOString(),
      andechaDiscussion: ext,
    };
  }

  private async replyNote(id: string): Promise<Record<string, unknown> | undefined> {
    const r = await replyById(this.db, id);
    const d = r && (await discussionById(this.db, r.discussionId));
    if (!r || !d || d.hidden || r.hidden) return undefined;
    const design = await this.homeDesign(d.designId);
    if (!design) return undefined;
    const [row] = await selectDiscussions(this.db, eq(discussionsTable.id, d.id), [], 1);
    const author = await handleOf(this.db, r.authorId);
    const ctx = this.deps.fed.context();
    const identifier = designIdentifier(design.ownerHandle, design.slug);
    const ext: DiscussionExtension = {
      design: ctx.getActorUri(identifier).href,
      author,
      discussion: this.threads.uri(d.id),
      hidden: r.hidden,
      original: r.remoteNote,
    };
    return {
      '@context': [activityStreams, discussionContext],
      id: this.replies.uri(r.id),
      type: 'Note',
      attributedTo: this.attribution(design, author),
      inReplyTo: this.threads.uri(d.id),
      to: [publicAudience],
      cc: [ctx.getFollowersUri(identifier).href],
      content: renderDiscussionMarkdown(r.body, await markdownLinksOf(this.db)(row)),
      source: { content: r.body, mediaType: 'text/markdown' },
      url: new URL(
        `/${design.ownerHandle}/${design.slug}/discussions/${d.id}#reply-${r.id}`,
        this.deps.config.publicUrl,
      ).href,
      published: r.createdAt.toISOString(),
      updated: r.updatedAt.toISOString(),
      andechaDiscussion: ext,
    };
  }

  /** A local author is their person actor here; someone of another instance is spoken for by the design's actor. */
  private attribution(design: DesignRow, handle: string): string {
    const ctx = this.deps.fed.context();
    return ctx.getActorUri(handle.includes('@') ? designIdentifier(design.ownerHandle, design.slug) : handle).href;
  }

  /** The design of a discussion when this instance is its home and shares it. */
  private async homeDesign(designId: string): Promise<DesignRow | undefined> {
    const design = await findDesignById(this.db, designId).catch(() => undefined);
    return design && (await federatedDesign(this.db, design.ownerHandle, design.slug));
  }

  // ── sending ──

  private async send(discussionId: string, change: DiscussionChange): Promise<void> {
    const d = await discussionById(this.db, discussionId);
    if (!d) return;
    const design = await findDesignById(this.db, d.designId);
    if (design.originActor) {
      // a mirror: a question or a reply posted here goes to the home, from its author (a thread asked here is known
      // at the home by this instance's Note until the home's copy comes back)
      if (change.kind === 'created' || change.kind === 'updated')
        await this.askHome(design, d.id, change.kind === 'created' ? 'Create' : 'Update');
      if (change.kind === 'replied' || change.kind === 'reply-updated')
        await this.replyToHome(
          design,
          d.remoteNote ?? this.threads.uri(d.id),
          change.replyId,
          change.kind === 'replied' ? 'Create' : 'Update',
        );
      return;
    }
    if (!(await this.homeDesign(d.designId))) return;
    if (change.kind === 'created' || change.kind === 'updated') {
      const json = await this.discussionNote(d.id);
      if (json) await this.toFollowers(design, change.kind === 'created' ? 'Create' : 'Update', json);
      // taken down by a moderator: the followers hide their copies (an Update shows them again once restored)
      else if (d.hidden) await this.toFollowers(design, 'Delete', { id: this.threads.uri(d.id) });
      return;
    }
    const r = await replyById(this.db, change.replyId);
    if (!r) return;
    const json = await this.replyNote(r.id);
    if (json) await this.toFollowers(design, change.kind === 'replied' ? 'Create' : 'Update', json);
    else if (r.hidden) await this.toFollowers(design, 'Delete', { id: this.replies.uri(r.id) });
  }

  private async toFollowers(design: DesignRow, type: 'Create' | 'Update' | 'Delete', object: Record<string, unknown>) {
    const followers = await followersOf(this.db, design.id);
    if (!followers.length) return;
    const ctx = this.deps.fed.context();
    const identifier = designIdentifier(design.ownerHandle, design.slug);
    const actor = ctx.getActorUri(identifier);
    const id = new URL(`${object.id as string}#${type.toLowerCase()}/${Date.now()}`);
    const common = { id, actor, tos: [new URL(publicAudience)], ccs: [ctx.getFollowersUri(identifier)] };
    const activity =
      type === 'Delete'
        ? new Delete({ ...common, object: new URL(object.id as string) })
        : type === 'Create'
          ? new Create({ ...common, object: await Note.fromJsonLd(object, {}) })
          : new Update({ ...common, object: await Note.fromJsonLd(object, {}) });
    await ctx.sendActivity({ identifier }, followers.map(recipientOf), activity, { preferSharedInbox: true });
  }

  /** A question asked on a mirror goes to the design's home as the Note its author's instance serves (edits too). */
  private async askHome(design: DesignRow, discussionId: string, type: 'Create' | 'Update'): Promise<void> {
    const json = await this.askedNote(discussionId);
    if (!json) return;
    const ctx = this.deps.fed.context();
    const home = new URL(design.originActor!);
    const inbox = await inboxOf(ctx, this.db, home.href);
    if (!inbox) throw new Error(`${home.href} has no inbox`);
    const handle = (json.andechaDiscussion as DiscussionExtension).author;
    const common = { actor: ctx.getActorUri(handle), to: home, object: await Note.fromJsonLd(json, {}) };
    await ctx.sendActivity(
      { identifier: handle },
      { id: home, inboxId: inbox },
      type === 'Create'
        ? new Create({ ...common, id: new URL(`${json.id as string}#create`) })
        : new Update({ ...common, id: new URL(`${json.id as string}#update/${Date.now()}`) }),
    );
  }

  /**
   * A reply posted on a mirror goes to the design's home as a Note of its author, in reply to the home's thread (and
   * its author's edits as an Update). Only replies of people here: the ones the home sent are its own.
   */
  private async replyToHome(
    design: DesignRow,
    thread: string,
    replyId: string,
    type: 'Create' | 'Update',
  ): Promise<void> {
    const r = await replyById(this.db, replyId);
    if (!r || r.hidden) return;
    const handle = await handleOf(this.db, r.authorId);
    if (handle.includes('@')) return;
    const ctx = this.deps.fed.context();
    const inbox = await inboxOf(ctx, this.db, design.originActor!);
    if (!inbox) throw new Error(`${design.originActor} has no inbox`);
    const person = ctx.getActorUri(handle);
    const note = new URL(this.replies.uri(r.id));
    const common = {
      actor: person,
      to: new URL(design.originActor!),
      object: new Note({
        id: note,
        attribution: person,
        replyTarget: new URL(thread),
        to: new URL(design.originActor!),
        content: r.body,
      }),
    };
    await ctx.sendActivity(
      { identifier: handle },
      { id: new URL(design.originActor!), inboxId: inbox },
      type === 'Create'
        ? new Create({ ...common, id: new URL(`${note.href}#create`) })
        : new Update({ ...common, id: new URL(`${note.href}#update/${Date.now()}`) }),
    );
  }

  // ── receiving ──

  private async received(ctx: InboxContext<void>, activity: Create | Update | Delete): Promise<boolean> {
    const actorId = activity.actorId;
    if (!actorId) return false;
    // from a design's actor at its home: the thread of a design mirrored here
    const mirrored = await findMirroredDesign(this.db, actorId.href);
    if (mirrored) return this.fromHome(mirrored, activity);
    if (activity instanceof Delete) return false;
    const note = await activity.getObject(ctx).catch(() => null);
    if (!(note instanceof Note) || !note.id) return false;
    const target = note.replyTargetId;
    const version = target ? this.versionOf(ctx, target) : undefined;
    const thread = target ? (this.threads.idOf(target) ?? (await this.threadOfReply(target))) : undefined;
    const remoteThread = target && !version && !thread ? await discussionByNote(this.db, target.href) : undefined;
    // a Note in reply to nothing, addressed to one of our designs: a question about the design as a whole
    const addressed = target ? undefined : this.designAddressed(ctx, note);
    if (!version && !thread && !remoteThread && !addressed) return false;
    // ours to answer from here: a blocked instance's Note is dropped, never shown
    if (await isBlocked(this.db, actorId.host)) return true;
    if (note.attributionId?.href !== actorId.href || note.id.origin !== actorId.origin) return true;
    const actor = await activity.getActor(ctx).catch(() => null);
    const name = actor?.preferredUsername?.toString().toLowerCase();
    if (!name || !handlePattern.test(name)) return true;
    const text = textOfHtml(note.content?.toString() ?? '');
    if (!text || text.length > bodyLimit) return true;
    const author = await ensureRemoteOwner(this.db, name, actorId.host);
    if (activity instanceof Update) return this.editedThere(note, actorId, author, text);
    if (version || addressed) {
      const { owner, slug } = (version ?? addressed)!;
      const design = await federatedDesign(this.db, owner, slug);
      const v = design && version ? await versionRow(this.db, design, version.version) : undefined;
      if (!design || (version && !v)) return true;
      // asked on another Andecha's mirror: its Note there says the title and kind (Fedify's compaction drops them)
      const asked = threadPath.test(note.id.pathname) ? await this.askedThere(note.id, actorId, design) : undefined;
      const id = await recordRemoteDiscussion(this.db, {
        design,
        versionId: v?.id ?? null,
        author,
        title:
          asked?.title ||
          titleOf(note.summary?.toString() && textOfHtml(note.summary.toString()), text) ||
          (v?.version ?? design.title),
        body: asked?.body ?? text,
        kind: asked?.kind,
        note: note.id.href,
      });
      if (id) this.changed(id, { kind: 'created' });
      return true;
    }
    const d = thread ? await discussionById(this.db, thread) : remoteThread;
    if (!d || d.hidden) return true;
    const id = await recordRemoteReply(this.db, d, author, text, note.id.href);
    if (id) this.changed(d.id, { kind: 'replied', replyId: id });
    return true;
  }

  /**
   * Its author edited on their instance what they posted here from there, within the edit window here: the text here
   * follows (the earlier one kept in the history) and goes on to the followers. Anyone else's Update changes nothing.
   */
  private async editedThere(note: Note, actorId: URL, author: Caller, text: string): Promise<boolean> {
    const id = note.id!;
    const open = (createdAt: Date) =>
      Date.now() <= createdAt.getTime() + this.deps.config.discussionEditWindowMinutes * 60_000;
    const d = await discussionByNote(this.db, id.href);
    if (d) {
      if (d.authorId !== author.id || d.locked || d.hidden || !open(d.createdAt)) return true;
      const design = await findDesignById(this.db, d.designId);
      const asked = threadPath.test(id.pathname) ? await this.askedThere(id, actorId, design) : undefined;
      if (await editRemoteDiscussion(this.db, d, asked?.title || d.title, asked?.body ?? text))
        this.changed(d.id, { kind: 'updated' });
      return true;
    }
    const r = await replyByNote(this.db, id.href);
    if (!r || r.authorId !== author.id || r.hidden || !open(r.createdAt)) return true;
    const thread = await discussionById(this.db, r.discussionId);
    if (!thread || thread.locked || thread.hidden) return true;
    if (await editRemoteReply(this.db, r, text)) this.changed(r.discussionId, { kind: 'reply-updated', replyId: r.id });
    return true;
  }

  /** The design of ours a Note is addressed to (`to`, not a mere mention in `cc`), or undefined. */
  private designAddressed(ctx: InboxContext<void>, note: Note): { owner: string; slug: string } | undefined {
    for (const to of note.toIds) {
      const parsed = ctx.parseUri(to);
      const name = parsed?.type === 'actor' ? parseIdentifier(parsed.identifier) : undefined;
      if (name?.kind === 'design') return { owner: name.owner, slug: name.slug };
    }
    return undefined;
  }

  /**
   * The question as the instance it was asked on serves it (its Note, fetched there, signed by nobody but served
   * under the asker's origin): its title, kind and Markdown, when it names the asker and this design.
   */
  private async askedThere(
    id: URL,
    actorId: URL,
    design: DesignRow,
  ): Promise<{ title?: string; kind: Kind; body?: string } | undefined> {
    const { document } = await fetchDocumentLoader(id.href, this.deps.config.federationAllowPrivate);
    const json = document as Record<string, unknown>;
    const ext = (json.andechaDiscussion ?? json['andecha:discussion']) as DiscussionExtension | undefined;
    const ours = this.deps.fed.context().getActorUri(designIdentifier(design.ownerHandle, design.slug)).href;
    if (json.id !== id.href || json.attributedTo !== actorId.href || ext?.design !== ours) return undefined;
    const source = json.source as { content?: unknown; mediaType?: unknown } | undefined;
    const body =
      source?.mediaType === 'text/markdown' && typeof source.content === 'string' && source.content.trim()
        ? source.content
        : undefined;
    const title = typeof ext.title === 'string' ? ext.title.trim() : '';
    return {
      title: title ? title.slice(0, titleLimit) : undefined,
      kind: kinds.includes(ext.kind as Kind) ? (ext.kind as Kind) : 'question',
      body: body && body.length <= bodyLimit ? body : undefined,
    };
  }

  /** A version post of ours (`/ap/designs/{owner}/{slug}/versions/{version}`), or undefined. */
  private versionOf(ctx: InboxContext<void>, uri: URL) {
    const parsed = ctx.parseUri(uri);
    if (parsed?.type !== 'object' || parsed.class !== Note) return undefined;
    const { owner, slug, version } = parsed.values;
    return owner && slug && version ? { owner, slug, version } : undefined;
  }

  /** The discussion a reply Note of ours belongs to (a Note answering a reply answers its thread). */
  private async threadOfReply(uri: URL): Promise<string | undefined> {
    const id = this.replies.idOf(uri);
    return id ? (await replyById(this.db, id))?.discussionId : undefined;
  }

  /**
   * The home of a mirrored design told of a discussion or reply: read the object there (the authoritative copy),
   * record it or apply its change. Only objects the home serves under its own origin.
   */
  private async fromHome(design: DesignRow, activity: Create | Update | Delete): Promise<boolean> {
    const objectId = activity.objectId;
    if (!objectId || objectId.origin !== new URL(design.originActor!).origin) return false;
    const isThread = /^\/ap\/discussions\/[0-9a-f-]{36}$/.test(objectId.pathname);
    const isReply = /^\/ap\/discussion-replies\/[0-9a-f-]{36}$/.test(objectId.pathname);
    if (!isThread && !isReply) return false;
    if (await isBlocked(this.db, objectId.host)) return true;
    if (activity instanceof Delete) {
      if (isReply) await applyRemoteReply(this.db, objectId.href, { hidden: true });
      else await hideRemoteDiscussion(this.db, objectId.href);
      return true;
    }
    const { document } = await fetchDocumentLoader(objectId.href, this.deps.config.federationAllowPrivate);
    const json = document as Record<string, unknown>;
    const ext = (json.andechaDiscussion ?? json['andecha:discussion']) as DiscussionExtension | undefined;
    if (json.id !== objectId.href || !ext || ext.design !== design.originActor) return true;
    // what was posted here first comes back relayed: the same row, known from now on by the home's Note
    const original = ext.original ? new URL(ext.original) : undefined;
    const mine = isThread ? this.threads.idOf(original) : this.replies.idOf(original);
    if (mine) await linkToHome(this.db, isThread ? 'discussion' : 'reply', mine, objectId.href);
    else if (this.threads.idOf(original) || this.replies.idOf(original)) return true;
    const source = json.source as { content?: unknown; mediaType?: unknown } | undefined;
    const body =
      source?.mediaType === 'text/markdown' && typeof source.content === 'string'
        ? source.content
        : textOfHtml(String(json.content ?? ''));
    if (!body || body.length > bodyLimit) return true;
    // its author is someone here when it was posted here (never an account `handle@` this very instance)
    const author = mine ? undefined : await this.authorAtHome(design, ext.author);
    if (!mine && !author) return true;
    if (isThread) return this.threadFromHome(design, json, ext, body, author);
    const d = ext.discussion ? await discussionByNote(this.db, ext.discussion) : undefined;
    if (!d) throw new Error(`reply ${objectId.href} to ${ext.discussion}, a thread not recorded here yet`);
    const known = await replyByNote(this.db, objectId.href);
    if (known) await applyRemoteReply(this.db, objectId.href, { body, hidden: !!ext.hidden });
    else if (author) await recordRemoteReply(this.db, d, author, body, objectId.href);
    return true;
  }

  private async threadFromHome(
    design: DesignRow,
    json: Record<string, unknown>,
    ext: DiscussionExtension,
    body: string,
    author: Awaited<ReturnType<typeof ensureRemoteOwner>> | undefined,
  ): Promise<boolean> {
    const note = json.id as string;
    const title = typeof ext.title === 'string' && ext.title ? ext.title : titleOf(undefined, body);
    const known = await discussionByNote(this.db, note);
    if (!known && author) {
      const versionId =
        typeof json.inReplyTo === 'string' ? await copiedVersionByObject(this.db, json.inReplyTo) : undefined;
      const kind = ext.kind === 'idea' || ext.kind === 'problem' ? ext.kind : 'question';
      await recordRemoteDiscussion(this.db, { design, versionId: versionId ?? null, author, title, body, note, kind });
    }
    const d = await discussionByNote(this.db, note);
    if (!d) return true;
    let answerReplyId: string | null = null;
    if (ext.answer) {
      const ours = this.replies.idOf(new URL(ext.answer));
      const r = ours ? await replyById(this.db, ours) : await replyByNote(this.db, ext.answer);
      answerReplyId = r && r.discussionId === d.id ? r.id : null;
    }
    await applyRemoteDiscussion(this.db, d.id, {
      title,
      body,
      state: String(ext.state ?? 'open'),
      locked: !!ext.locked,
      answerReplyId,
      // served again by the home (restored after a moderator's hide): shown here too, unless taken down here
      shown: !(await takenDownHere(this.db, 'discussion', d.id)),
    });
    return true;
  }

  /** `handle` (a person of the home) or `handle@host` (someone the home heard from): their account here. */
  private async authorAtHome(design: DesignRow, author: unknown) {
    if (typeof author !== 'string') return undefined;
    const [name, host] = author.split('@', 2);
    if (!handlePattern.test(name ?? '')) return undefined;
    const instance = host ?? new URL(design.originActor!).host;
    if (await isBlocked(this.db, instance)) return undefined;
    return ensureRemoteOwner(this.db, name, instance);
  }
}
