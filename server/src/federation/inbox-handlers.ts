// Extra inbox handlers: Fedify takes one listener per activity type, so features beyond following (forks,
// build reports, reviews, proposals) register here and are asked in order; the first that returns true took
// the activity, and one that none takes goes to the follow/mirror side (following.ts) as before.
import type { Accept, Announce, Create, Delete, InboxContext, Offer, Reject, Update } from '@fedify/fedify';

export type InboxHandler<A> = (ctx: InboxContext<void>, activity: A) => Promise<boolean>;

export interface InboxHandlers {
  create: InboxHandler<Create>[];
  update: InboxHandler<Update>[];
  delete: InboxHandler<Delete>[];
  accept: InboxHandler<Accept>[];
  reject: InboxHandler<Reject>[];
  offer: InboxHandler<Offer>[];
  announce: InboxHandler<Announce>[];
}

export const noInboxHandlers = (): InboxHandlers => ({
  create: [],
  update: [],
  delete: [],
  accept: [],
  reject: [],
  offer: [],
  announce: [],
});

/** Asks each handler in turn; true when one took the activity. */
export async function handled<A>(handlers: InboxHandler<A>[], ctx: InboxContext<void>, activity: A): Promise<boolean> {
  for (const handler of handlers) if (await handler(ctx, activity)) return true;
  return false;
}
