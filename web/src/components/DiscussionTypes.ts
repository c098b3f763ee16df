// Names for the discussion replies the web reads, from the generated API schema (never copied by hand).
import type { components } from '../api-schema.js';
import { t } from '../i18n';

type Schemas = components['schemas'];

export type Discussion = Schemas['discussion'];
export type DiscussionReply = Schemas['discussion-reply'];
export type DiscussionList = Schemas['discussion-list'];
export type DiscussionSearch = Schemas['discussion-search'];
export type DiscussionHistory = Schemas['discussion-history'];
export type DiscussionKind = Schemas['discussion-kind'];
export type DiscussionState = Schemas['discussion-state'];
export type OpenProblem = Schemas['discussion-open-item'];

/** The web path of a discussion's thread page. */
export function discussionUrl(owner: string, slug: string, id: string): string {
  return `/${encodeURIComponent(owner).replace(/%40/g, '@')}/${encodeURIComponent(slug)}/discussions/${encodeURIComponent(id)}`;
}

/** The catalogue keys of kinds and states, written out so the catalogue test finds each one used. */
export const kindKey: Record<DiscussionKind, string> = {
  question: 'discussions.kind.question',
  idea: 'discussions.kind.idea',
  problem: 'discussions.kind.problem',
};
export const stateKey: Record<DiscussionState, string> = {
  open: 'discussions.state.open',
  answered: 'discussions.state.answered',
  closed: 'discussions.state.closed',
};

/** Asked here on a mirrored design: whether it reached the design's home (named by the owner's `@host`). */
export function deliveryText(d: Pick<Discussion, 'delivery' | 'design'>): string | undefined {
  if (!d.delivery) return undefined;
  const home = d.design.owner.split('@')[1] ?? '';
  return d.delivery === 'queued'
    ? t('discussions.delivery.queued', { home })
    : t('discussions.delivery.delivered', { home });
}
