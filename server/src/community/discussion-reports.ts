// Discussions and replies as subjects of abuse reports: whether the reporter can see one, and the admin's hide —
// which, once made, the discussion hook hears (a design's followers hide or show their copies).
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { msg, notFound } from '../errors.js';
import type { Caller } from '../accounts/accounts.js';
import type { ReportableSubject } from '../moderation/reports.js';
import { discussionReplies, discussions } from './tables.js';
import { findVisibleDiscussion } from './discussions.js';
import type { DiscussionChangedHook } from './discussion-remote.js';

export function discussionReportSubjects(
  changed: readonly DiscussionChangedHook[] = [],
): Record<'discussion' | 'reply', ReportableSubject> {
  return {
    discussion: {
      async check(db: Db, caller: Caller, id: string) {
        await findVisibleDiscussion(db, id, caller);
      },
      async setHidden(db: Db, id: string, hidden: boolean) {
        await db.update(discussions).set({ hidden }).where(eq(discussions.id, id));
        for (const told of changed) told(id, { kind: 'updated' });
      },
    },
    reply: {
      async check(db: Db, caller: Caller, id: string) {
        const [r] = await db.select().from(discussionReplies).where(eq(discussionReplies.id, id));
        if (!r || (r.hidden && !caller.isAdmin)) throw notFound(msg('discussions.replyNotFound', { id }));
        await findVisibleDiscussion(db, r.discussionId, caller);
      },
      async setHidden(db: Db, id: string, hidden: boolean) {
        const [r] = await db
          .update(discussionReplies)
          .set({ hidden })
          .where(eq(discussionReplies.id, id))
          .returning({ discussionId: discussionReplies.discussionId });
        if (r) for (const told of changed) told(r.discussionId, { kind: 'reply-updated', replyId: id });
      },
    },
  };
}
