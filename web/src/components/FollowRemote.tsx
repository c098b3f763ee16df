// Following designs on other instances (POST /api/federation/follows): a field on the explore page for a design's
// web address or handle, and a Follow button on a mirrored design's page. The instance follows once for everyone.
import { useState } from 'preact/hooks';
import { api } from '../api';
import type { components } from '../api-schema.js';
import { designUrl } from '../router';
import { useSession } from '../session';
import { useFormSubmit } from '../use-form-submit';
import { ErrorNotice } from './StateViews';
import { t } from '../i18n';

/** The reply of POST /api/federation/follows (schemas/federation-follow.schema.json). */
export type FederationFollow = components['schemas']['federation-follow'];

function stateLabel(state: FederationFollow['state']): string {
  const keys: Record<FederationFollow['state'], string> = {
    pending: 'followRemote.state.pending',
    accepted: 'followRemote.state.accepted',
    rejected: 'followRemote.state.rejected',
  };
  return t(keys[state]);
}

const follow = (target: string) => api.post<FederationFollow>('/api/federation/follows', { target });

function FollowResult({ result }: { result: FederationFollow }) {
  return (
    <p class="notice" role="status">
      <a href={designUrl(result.design.owner, result.design.slug)}>
        {result.design.owner}/{result.design.slug}
      </a>{' '}
      — {stateLabel(result.state)}
    </p>
  );
}

/** Explore page: follow a design on another instance by its web address or handle. */
export function FollowRemoteForm() {
  const session = useSession();
  const [target, setTarget] = useState('');
  const [result, setResult] = useState<FederationFollow | null>(null);
  const { busy, error, submit } = useFormSubmit(async () => {
    setResult(await follow(target.trim()));
  });
  if (!session.token) return null;
  return (
    <form class="form follow-remote" onSubmit={submit} aria-labelledby="follow-remote-heading">
      <h2 id="follow-remote-heading">{t('followRemote.heading')}</h2>
      <label class="field">
        <span class="field-label">{t('followRemote.target')}</span>
        <input
          name="follow-target"
          required
          placeholder={t('followRemote.targetExample', {
            url: 'https://a.example/ana/brick-press',
            handle: 'ana~brick-press@a.example',
          })}
          value={target}
          onInput={(event) => setTarget(event.currentTarget.value)}
        />
      </label>
      <button type="submit" class="button" disabled={busy}>
        {busy ? t('followRemote.following') : t('followRemote.follow')}
      </button>
      {error && <ErrorNotice error={error} />}
      {result && <FollowResult result={result} />}
    </form>
  );
}

/** A mirrored design's page: follow it too (the instance already does; this adds the caller's name to it). */
export function FollowMirrorButton({ originUrl }: { originUrl: string }) {
  const session = useSession();
  const [result, setResult] = useState<FederationFollow | null>(null);
  const { busy, error, submit } = useFormSubmit(async () => {
    setResult(await follow(originUrl));
  });
  if (!session.token) return null;
  return (
    <form class="follow-mirror" onSubmit={submit}>
      <button type="submit" class="button button-secondary" disabled={busy || Boolean(result)}>
        {result ? t('followRemote.followed') : t('followRemote.follow')}
      </button>
      {error && <ErrorNotice error={error} />}
      {result && <FollowResult result={result} />}
    </form>
  );
}
