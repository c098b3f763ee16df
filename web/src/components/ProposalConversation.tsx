// A proposal's conversation: its comments oldest first (people of other instances as handle@host) and, for a
// signed-in person, a form to add one. Any signed-in person may comment (the server's rule); on a proposal that
// crosses instances the comment goes on to the other side, and theirs arrive here, so an open conversation re-reads
// itself every few seconds as well as after a comment is posted.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, designPath } from '../api';
import type { Design, Proposal, ProposalComment } from '../api-types';
import { formatDateTime } from '../format';
import { useSession } from '../session';
import { dataOf, useApi } from '../use-api';
import { useFormSubmit } from '../use-form-submit';
import { ErrorNotice, Loading, SignInPrompt } from './StateViews';
import { t } from '../i18n';
import { PersonLink } from './PersonLink';

/** How often an open conversation looks for comments made elsewhere (another tab, another instance). */
const refreshMs = 5000;

type Props = { design: Design; proposalId: string };

/** The anchor of a proposal on its design's page; a link to it opens its conversation. */
export function proposalAnchor(proposalId: string): string {
  return `proposal-${proposalId}`;
}

/** A proposal's "Conversation" toggle; closed until asked for (or linked to), so a long list reads no comments. */
export function ProposalConversation({ design, proposalId }: Props) {
  const [linkedTo] = useState(() => window.location.hash === `#${proposalAnchor(proposalId)}`);
  const [open, setOpen] = useState(linkedTo);
  // the list loads after the page, too late for the browser's own jump to the anchor
  useEffect(() => {
    if (linkedTo) document.getElementById(proposalAnchor(proposalId))?.scrollIntoView();
  }, [linkedTo, proposalId]);
  return (
    <>
      <p class="small">
        <button
          type="button"
          class="button button-quiet button-small"
          aria-expanded={open}
          onClick={() => setOpen(!open)}
        >
          {open ? t('proposalConversation.hide') : t('proposalConversation.show')}
        </button>
      </p>
      {open && <Conversation design={design} proposalId={proposalId} />}
    </>
  );
}

function Conversation({ design, proposalId }: Props) {
  const path = designPath(design.owner, design.slug, `/proposals/${encodeURIComponent(proposalId)}`);
  const detail = useApi<Proposal>(path);
  const { reload } = detail;
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, refreshMs);
    return () => clearInterval(timer);
  }, [reload]);
  // a refresh that fails (network, a session ended) keeps the comments already shown beside its error
  const lastComments = useRef<ProposalComment[] | undefined>(undefined);
  const fresh = dataOf(detail)?.comments;
  if (fresh) lastComments.current = fresh;
  const comments = fresh ?? lastComments.current;

  return (
    <div class="proposal-conversation">
      {detail.status === 'error' && <ErrorNotice error={detail.error} onRetry={reload} />}
      {!comments && detail.status === 'loading' && <Loading label={t('proposalConversation.loading')} />}
      {comments &&
        (comments.length === 0 ? (
          <p class="small muted">{t('proposalConversation.none')}</p>
        ) : (
          <ol class="proposal-comments" aria-label={t('proposalConversation.comments')}>
            {comments.map((comment) => (
              <CommentView key={comment.id} comment={comment} />
            ))}
          </ol>
        ))}
      <CommentForm path={`${path}/comments`} onPosted={reload} />
    </div>
  );
}

function CommentView({ comment }: { comment: ProposalComment }) {
  return (
    <li class="proposal-comment">
      <p class="small proposal-comment-head">
        <strong>
          <PersonLink handle={comment.author} />
        </strong>{' '}
        ·{' '}
        <time class="muted" dateTime={comment.createdAt}>
          {formatDateTime(comment.createdAt)}
        </time>
      </p>
      <p class="prewrap">{comment.body}</p>
    </li>
  );
}

function CommentForm({ path, onPosted }: { path: string; onPosted: () => void }) {
  const session = useSession();
  const [body, setBody] = useState('');
  const { busy, error, submit } = useFormSubmit(async () => {
    await api.post<ProposalComment>(path, { body: body.trim() });
    setBody('');
    onPosted();
  });
  if (!session.token) return <SignInPrompt message="proposalConversation.signInPrompt" />;
  return (
    <form class="form proposal-comment-form" onSubmit={submit} aria-label={t('proposalConversation.formLabel')}>
      {error && <ErrorNotice error={error} />}
      <label class="field">
        <span class="field-label">{t('proposalConversation.yourComment')}</span>
        <textarea
          name="proposal-comment"
          required
          rows={3}
          maxLength={20000}
          value={body}
          onInput={(event) => setBody(event.currentTarget.value)}
        />
      </label>
      <div class="actions">
        <button class="button button-small" type="submit" disabled={busy || !body.trim()}>
          {busy ? t('proposalConversation.posting') : t('proposalConversation.post')}
        </button>
      </div>
    </form>
  );
}
