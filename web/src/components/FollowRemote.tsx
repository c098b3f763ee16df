// Following designs on other instances (POST /api/federation/follows): a field on the explore page for a design's
// web address or handle, and a Follow button on a mirrored design's page. The instance follows once for everyone.
import { useState } from 'preact/hooks';
import { api } from '../api';
import type { components } from '../api-schema.js';
import { designUrl } from '../router';
import { useSession } from '../session';
import { useFormSubmit } from '../use-form-submit';
import { ErrorNotice } from './StateViews';

/** The reply of POST /api/federation/follows (schemas/federation-follow.schema.json). */
export type FederationFollow = components['schemas']['federation-follow'];

const stateLabels: Record<FederationFollow['state'], string> = {
  pending: 'asked; waiting for its home instance to accept',
  accepted: 'followed: its versions are being copied here',
  rejected: 'its home instance refused',
};

const follow = (target: string) => api.post<FederationFollow>('/api/federation/follows', { target });

function FollowResult({ result }: { result: FederationFollow }) {
  return (
    <p class="notice" role="status">
      <a href={designUrl(result.design.owner, result.design.slug)}>
        {result.design.owner}/{result.design.slug}
      </a>{' '}
      — {stateLabels[result.state]}
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
      <h2 id="follow-remote-heading">Follow a design on another instance</h2>
      <label class="field">
        <span class="field-label">Its web address or handle</span>
        <input
          name="follow-target"
          required
          placeholder="https://a.example/ana/brick-press or ana~brick-press@a.example"
          value={target}
          onInput={(event) => setTarget(event.currentTarget.value)}
        />
      </label>
      <button type="submit" class="button" disabled={busy}>
        {busy ? 'Following…' : 'Follow'}
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
        {result ? 'Following' : 'Follow'}
      </button>
      {error && <ErrorNotice error={error} />}
      {result && <FollowResult result={result} />}
    </form>
  );
}
