// API tokens page: list, create (the secret shown once) and revoke tokens for the CLI and scripts.
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { apiClient, replyOf } from '../api-client';
import type { ApiToken, ApiTokenList } from '../api-types';
import { EmptyState, ErrorNotice, Loading, SignInPrompt } from '../components/StateViews';
import { SelectField } from '../components/SelectField';
import { formatDate } from '../format';
import { usePageTitle } from '../page-title';
import { useSession } from '../session';
import { useApi } from '../use-api';
import { useFormSubmit } from '../use-form-submit';

export function TokensPage() {
  usePageTitle('API tokens');
  const session = useSession();
  const tokens = useApi<ApiTokenList>(session.token ? '/api/tokens' : null);
  const [name, setName] = useState('');
  const [scope, setScope] = useState<'read' | 'write'>('read');
  const [expiresAt, setExpiresAt] = useState('');
  const [created, setCreated] = useState<ApiToken | null>(null);
  const {
    busy,
    error,
    setError,
    submit: create,
  } = useFormSubmit(async () => {
    const expires = expiresAt ? { expiresAt: new Date(`${expiresAt}T23:59:59Z`).toISOString() } : {};
    setCreated(await replyOf(apiClient.POST('/api/tokens', { body: { name, scope, ...expires } })));
    setName('');
    tokens.reload();
  });

  if (!session.token)
    return (
      <section class="page narrow">
        <h1>API tokens</h1>
        <SignInPrompt action="manage API tokens" />
      </section>
    );

  async function revoke(token: ApiToken) {
    if (!window.confirm(`Revoke “${token.name}”? Scripts using it will stop working.`)) return;
    try {
      await api.del(`/api/tokens/${encodeURIComponent(token.id)}`);
      tokens.reload();
    } catch (err) {
      setError(err as ApiError);
    }
  }

  return (
    <section class="page narrow">
      <h1>API tokens</h1>
      <p class="lede">Tokens let the command line and your scripts act as you. Use read tokens where you can.</p>
      {error && <ErrorNotice error={error} />}
      {created && (
        <div class="notice notice-success" role="status">
          <p class="notice-title">Token “{created.name}” created. Copy it now: it will not be shown again.</p>
          <label class="field">
            <span class="field-label">Token</span>
            <input readOnly value={created.token} onFocus={(e) => e.currentTarget.select()} class="mono" />
          </label>
          <button
            type="button"
            class="button button-quiet button-small"
            onClick={() => void navigator.clipboard?.writeText(created.token ?? '')}
          >
            Copy
          </button>
        </div>
      )}
      <form class="form card form-inline" onSubmit={create}>
        <h2>New token</h2>
        <label class="field">
          <span class="field-label">Name</span>
          <input required value={name} placeholder="laptop CLI" onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <SelectField
          label="Scope"
          inline={false}
          value={scope}
          onChange={(value) => setScope(value as 'read' | 'write')}
        >
          <option value="read">read</option>
          <option value="write">write</option>
        </SelectField>
        <label class="field">
          <span class="field-label">Expires (optional)</span>
          <input type="date" value={expiresAt} onInput={(e) => setExpiresAt(e.currentTarget.value)} />
        </label>
        <button class="button" type="submit" disabled={busy}>
          Create token
        </button>
      </form>
      <h2>Your tokens</h2>
      {tokens.status === 'loading' && !tokens.data && <Loading />}
      {tokens.status === 'error' && <ErrorNotice error={tokens.error} onRetry={tokens.reload} />}
      {tokens.status === 'missing' && <EmptyState title="This server has no token API yet." />}
      {tokens.status === 'ok' && tokens.data.items.length === 0 && <EmptyState title="No tokens yet." />}
      {tokens.status === 'ok' && tokens.data.items.length > 0 && (
        <div class="table-scroll">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Scope</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.items.map((token) => (
                <tr key={token.id}>
                  <td>{token.name}</td>
                  <td>
                    <span class="chip">{token.scope}</span>
                  </td>
                  <td>{formatDate(token.createdAt)}</td>
                  <td>{token.lastUsedAt ? formatDate(token.lastUsedAt) : 'never'}</td>
                  <td>
                    <button type="button" class="button button-danger button-small" onClick={() => void revoke(token)}>
                      Revoke <span class="visually-hidden">{token.name}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
