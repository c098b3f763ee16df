// Discussions and replies as subjects of abuse reports: whether the reporter can see one, and the admin's hide.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { msg, notFound } from '../errors.js';
import type { Caller } from '../accounts/accounts.js';
import type { ReportableSubject } from '../moderation/reports.js';
import { discussionReplies, discussions } from './tables.js';
import { findVisibleDiscussion } from './discussions.js';

export const discussionReportSubjects: Record<'discussion' | 'reply', ReportableSubject> = {
  discussion: {
    async check(db: Db, caller: Caller, id: string) {
      await findVisibleDiscussion(db, id, caller);
    },
    async setHidden(db: Db, id: string, hidden: boolean) {
      await db.update(discussions).set({ hidden }).where(eq(discussions.id, id));
    },
  },
  reply: {
    async check(db: Db, caller: Caller, id: string) {
      const [r] = await db.select().from(discussionReplies).where(eq(discussionReplies.id, id));
      if (!r || (r.hidden && !caller.isAdmin)) throw notFound(msg('discussions.replyNotFound', { id }));
      await findVisibleDiscussion(db, r.discussionId, caller);
    },
    async setHidden(db: Db, id: string, hidden: boolean) {
      await db.update(discussionReplies).set({ hidden }).where(eq(discussionReplies.id, id));
    },
  },
};
