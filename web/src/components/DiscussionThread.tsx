// One discussion's thread: the question and its replies (the answer marked), the leads' actions (answer, close,
// lock, pin, hide a reply), the author's edit within the window with "edited" and the history, and a reply form.
import { useState } from 'preact/hooks';
import DOMPurify from 'dompurify';
import { api } from '../api';
import { useSession } from '../session';
import { ReportButton } from './ReportButton';
import { formatDateTime } from '../format';
import { useFormSubmit } from '../use-form-submit';
import { useApi, dataOf } from '../use-api';
import { t } from '../i18n';
import { DiscussionBodyField } from './DiscussionBodyField';
import { ErrorNotice, SignInPrompt } from './StateViews';
import { PersonLink } from './PersonLink';
import {
  deliveryText,
  kindKey,
  stateKey,
  type Discussion,
  type DiscussionHistory,
  type DiscussionReply,
} from './DiscussionTypes';

type Props = { discussion: Discussion; onChange: () => void };

/** the tick before "The answer": a sign, not a word */
const answerMark = '\u2713';

const base = (id: string) => `/api/discussions/${encodeURIComponent(id)}`;
const canEdit = (mine: boolean, until: string) => mine && Date.now() < new Date(until).getTime();

function Html({ html }: { html: string }) {
  return <div class="discussion-body" dir="auto" dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(html) }} />;
}

function Byline({ handle, at, edited }: { handle: string; at: string; edited: boolean }) {
  return (
    <p class="small discussion-byline">
      <PersonLink handle={handle} /> ·{' '}
      <time class="muted" dateTime={at}>
        {formatDateTime(at)}
      </time>
      {edited && <span class="muted"> · {t('discussions.edited')}</span>}
    </p>
  );
}

export function DiscussionThread({ discussion: d, onChange }: Props) {
  const session = useSession();
  const lead = d.viewer?.lead ?? false;
  const [editing, setEditing] = useState(false);
  const [showHistory, setShowHistory] = useState(false);
  const act = useFormSubmit(async () => undefined);
  const run = async (path: string, json?: unknown) => {
    act.setError(null);
    try {
      await api.post(`${base(d.id)}${path}`, json);
      onChange();
    } catch (err) {
      act.setError(err as never);
    }
  };
  const mine = session.handle === d.author.handle;
  return (
    <article class="discussion-thread">
      <header>
        <h1 dir="auto">{d.title}</h1>
        <p class="design-meta">
          <span class={`chip discussion-state state-${d.state}`} data-testid="discussion-state">
            {t(stateKey[d.state])}
          </span>
          <span class="chip">{t(kindKey[d.kind])}</span>
          {d.version && <span class="chip">{t('discussions.aboutVersionShort', { version: d.version })}</span>}
          {d.fixedBy && <span class="chip">{t('discussions.fixedIn', { version: d.fixedBy })}</span>}
          {d.pinned && <span class="chip">{t('discussions.pinned')}</span>}
          {d.locked && <span class="chip">{t('discussions.locked')}</span>}
        </p>
        {d.delivery && (
          <p class="small muted discussion-delivery" data-delivery={d.delivery}>
            {deliveryText(d)}
          </p>
        )}
      </header>
      {act.error && <ErrorNotice error={act.error} />}
      <div class="discussion-post">
        <Byline handle={d.author.handle} at={d.createdAt} edited={d.edited} />
        {editing ? (
          <EditForm
            initialTitle={d.title}
            initialBody={d.body}
            path={base(d.id)}
            onDone={() => {
              setEditing(false);
              onChange();
            }}
          />
        ) : (
          <Html html={d.html} />
        )}
        <p class="small discussion-post-actions">
          {canEdit(mine, d.editableUntil) && !editing && !d.locked && (
            <button type="button" class="button button-quiet button-small" onClick={() => setEditing(true)}>
              {t('discussions.edit')}
            </button>
          )}
          {(d.edited || d.replies?.some((r) => r.edited)) && (
            <button
              type="button"
              class="button button-quiet button-small"
              aria-expanded={showHistory}
              onClick={() => setShowHistory(!showHistory)}
            >
              {t('discussions.history')}
            </button>
          )}
        </p>
        {session.token && !mine && (
          <ReportButton
            subject="discussion"
            id={d.id}
            what={t('discussions.reportWhatDiscussion', { title: d.title })}
          />
        )}
        {showHistory && <History id={d.id} />}
      </div>
      {lead && (
        <div class="actions discussion-lead-actions" aria-label={t('discussions.leadActions')} role="group">
          <button
            type="button"
            class="button button-small button-quiet"
            onClick={() => run(d.state === 'closed' ? '/reopen' : '/close')}
          >
            {t(d.state === 'closed' ? 'discussions.reopen' : 'discussions.close')}
          </button>
          <button
            type="button"
            class="button button-small button-quiet"
            onClick={() => run(d.locked ? '/unlock' : '/lock')}
          >
            {t(d.locked ? 'discussions.unlock' : 'discussions.lock')}
          </button>
          <button
            type="button"
            class="button button-small button-quiet"
            onClick={() => run(d.pinned ? '/unpin' : '/pin')}
          >
            {t(d.pinned ? 'discussions.unpin' : 'discussions.pin')}
          </button>
        </div>
      )}
      {lead && d.kind === 'problem' && !d.fixedBy && <FixedForm onFixed={(version) => run('/fixed', { version })} />}
      <h2 class="discussion-replies-heading">{t('discussions.replies', { count: d.replyCount })}</h2>
      <ol class="discussion-replies">
        {(d.replies ?? []).map((r) => (
          <ReplyView
            key={r.id}
            reply={r}
            discussion={d}
            lead={lead}
            mine={session.handle === r.author.handle}
            onAct={run}
            onChange={onChange}
          />
        ))}
      </ol>
      {d.locked ? (
        <p class="notice">{t('discussions.lockedNotice')}</p>
      ) : session.token ? (
        <ReplyForm id={d.id} onPosted={onChange} />
      ) : (
        <SignInPrompt message="discussions.signInToReply" />
      )}
    </article>
  );
}

type ReplyProps = {
  reply: DiscussionReply;
  discussion: Discussion;
  lead: boolean;
  mine: boolean;
  onAct: (path: string, json?: unknown) => Promise<void>;
  onChange: () => void;
};

function ReplyView({ reply: r, discussion: d, lead, mine, onAct, onChange }: ReplyProps) {
  const [editing, setEditing] = useState(false);
  const session = useSession();
  return (
    <li
      id={`reply-${r.id}`}
      class={`discussion-reply${r.answer ? ' discussion-answer' : ''}${r.hidden ? ' discussion-hidden' : ''}`}
      data-testid={r.answer ? 'discussion-answer' : 'discussion-reply'}
    >
      {r.answer && (
        <p class="discussion-answer-mark">
          <span aria-hidden="true">{answerMark}</span> {t('discussions.theAnswer')}
        </p>
      )}
      {r.hidden && <p class="small muted">{t('discussions.hiddenReply')}</p>}
      <Byline handle={r.author.handle} at={r.createdAt} edited={r.edited} />
      {editing ? (
        <EditForm
          initialBody={r.body}
          path={`${base(d.id)}/replies/${encodeURIComponent(r.id)}`}
          onDone={() => {
            setEditing(false);
            onChange();
          }}
        />
      ) : (
        <Html html={r.html} />
      )}
      <p class="small actions">
        {lead && !r.answer && !r.hidden && (
          <button type="button" class="button button-small" onClick={() => onAct('/answer', { reply: r.id })}>
            {t('discussions.markAnswer')}
          </button>
        )}
        {lead && (
          <button
            type="button"
            class="button button-small button-quiet"
            onClick={() => onAct(`/replies/${encodeURIComponent(r.id)}/${r.hidden ? 'unhide' : 'hide'}`)}
          >
            {t(r.hidden ? 'discussions.unhide' : 'discussions.hide')}
          </button>
        )}
        {canEdit(mine, r.editableUntil) && !editing && !d.locked && (
          <button type="button" class="button button-quiet button-small" onClick={() => setEditing(true)}>
            {t('discussions.edit')}
          </button>
        )}
      </p>
      {session.token && !mine && !r.hidden && (
        <ReportButton subject="reply" id={r.id} what={t('discussions.reportWhatReply', { handle: r.author.handle })} />
      )}
    </li>
  );
}

function ReplyForm({ id, onPosted }: { id: string; onPosted: () => void }) {
  const [body, setBody] = useState('');
  const { busy, error, submit } = useFormSubmit(async () => {
    await api.post<DiscussionReply>(`${base(id)}/replies`, { body: body.trim() });
    setBody('');
    onPosted();
  });
  return (
    <form class="form discussion-reply-form" onSubmit={submit} aria-label={t('discussions.replyLabel')}>
      {error && <ErrorNotice error={error} />}
      <DiscussionBodyField
        label={t('discussions.yourReply')}
        name="discussion-reply"
        rows={4}
        value={body}
        onInput={setBody}
      />
      <div class="actions">
        <button class="button" type="submit" disabled={busy || !body.trim()}>
          {busy ? t('discussions.posting') : t('discussions.reply')}
        </button>
      </div>
    </form>
  );
}

type EditProps = { initialTitle?: string; initialBody: string; path: string; onDone: () => void };

function EditForm({ initialTitle, initialBody, path, onDone }: EditProps) {
  const [title, setTitle] = useState(initialTitle ?? '');
  const [body, setBody] = useState(initialBody);
  const { busy, error, submit } = useFormSubmit(async () => {
    await api.patch(path, initialTitle === undefined ? { body } : { title, body });
    onDone();
  });
  return (
    <form class="form discussion-edit" onSubmit={submit} aria-label={t('discussions.editLabel')}>
      {error && <ErrorNotice error={error} />}
      {initialTitle !== undefined && (
        <label class="field">
          <span class="field-label">{t('discussions.titleLabel')}</span>
          <input required maxLength={200} dir="auto" value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
        </label>
      )}
      <label class="field">
        <span class="field-label">{t('discussions.bodyLabel')}</span>
        <textarea
          required
          rows={4}
          maxLength={20000}
          dir="auto"
          value={body}
          onInput={(e) => setBody(e.currentTarget.value)}
        />
      </label>
      <div class="actions">
        <button class="button button-small" type="submit" disabled={busy || !body.trim()}>
          {t('discussions.save')}
        </button>
        <button class="button button-small button-quiet" type="button" onClick={onDone}>
          {t('discussions.cancel')}
        </button>
      </div>
    </form>
  );
}

function History({ id }: { id: string }) {
  const h = useApi<DiscussionHistory>(`${base(id)}/history`);
  const items = dataOf(h)?.items;
  if (h.status === 'error') return <ErrorNotice error={h.error} />;
  if (!items) return null;
  return (
    <ol class="discussion-history small">
      {items.map((e, i) => (
        <li key={i}>
          <p class="muted">
            {t(e.reply ? 'discussions.replyBefore' : 'discussions.postBefore', {
              editor: e.editor.handle,
              date: formatDateTime(e.editedAt),
            })}
          </p>
          {e.previousTitle && (
            <p dir="auto">
              <strong>{e.previousTitle}</strong>
            </p>
          )}
          <p class="prewrap" dir="auto">
            {e.previousBody}
          </p>
        </li>
      ))}
    </ol>
  );
}

/** A lead names the version that fixes a problem: the problem closes, and that version's page no longer lists it. */
function FixedForm({ onFixed }: { onFixed: (version: string) => Promise<void> }) {
  const [version, setVersion] = useState('');
  return (
    <form
      class="form form-inline discussion-fixed"
      aria-label={t('discussions.markFixed')}
      onSubmit={(event) => {
        event.preventDefault();
        void onFixed(version.trim());
      }}
    >
      <label class="field field-inline">
        <span class="field-label">{t('discussions.fixedByLabel')}</span>
        <input required maxLength={100} value={version} onInput={(e) => setVersion(e.currentTarget.value)} />
      </label>
      <button class="button button-small" type="submit" disabled={!version.trim()}>
        {t('discussions.markFixed')}
      </button>
    </form>
  );
}
