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
import { t } from '../i18n';
import { slots, withElements } from '../message-elements';

/** A token's scope as people read it. */
function scopeLabel(scope: string): string {
  const keys: Record<string, string> = { read: 'tokensPage.scopeRead', write: 'tokensPage.scopeWrite' };
  return keys[scope] ? t(keys[scope]) : scope;
}

export function TokensPage() {
  usePageTitle(t('tokensPage.title'));
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
        <h1>{t('tokensPage.title')}</h1>
        <SignInPrompt message="tokensPage.signInPrompt" />
      </section>
    );

  async function revoke(token: ApiToken) {
    if (!window.confirm(t('tokensPage.confirmRevoke', { name: token.name }))) return;
    try {
      await api.del(`/api/tokens/${encodeURIComponent(token.id)}`);
      tokens.reload();
    } catch (err) {
      setError(err as ApiError);
    }
  }

  return (
    <section class="page narrow">
      <h1>{t('tokensPage.title')}</h1>
      <p class="lede">{t('tokensPage.lede')}</p>
      {error && <ErrorNotice error={error} />}
      {created && (
        <div class="notice notice-success" role="status">
          <p class="notice-title">{t('tokensPage.created', { name: created.name })}</p>
          <label class="field">
            <span class="field-label">{t('tokensPage.token')}</span>
            <input readOnly value={created.token} onFocus={(e) => e.currentTarget.select()} class="mono" />
          </label>
          <button
            type="button"
            class="button button-quiet button-small"
            onClick={() => void navigator.clipboard?.writeText(created.token ?? '')}
          >
            {t('tokensPage.copy')}
          </button>
        </div>
      )}
      <form class="form card form-inline" onSubmit={create}>
        <h2>{t('tokensPage.newToken')}</h2>
        <label class="field">
          <span class="field-label">{t('tokensPage.name')}</span>
          <input
            required
            value={name}
            placeholder={t('tokensPage.namePlaceholder')}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </label>
        <SelectField
          label={t('tokensPage.scope')}
          inline={false}
          value={scope}
          onChange={(value) => setScope(value as 'read' | 'write')}
        >
          <option value="read">{t('tokensPage.scopeRead')}</option>
          <option value="write">{t('tokensPage.scopeWrite')}</option>
        </SelectField>
        <label class="field">
          <span class="field-label">{t('tokensPage.expires')}</span>
          <input type="date" value={expiresAt} onInput={(e) => setExpiresAt(e.currentTarget.value)} />
        </label>
        <button class="button" type="submit" disabled={busy}>
          {t('tokensPage.create')}
        </button>
      </form>
      <h2>{t('tokensPage.yours')}</h2>
      {tokens.status === 'loading' && !tokens.data && <Loading />}
      {tokens.status === 'error' && <ErrorNotice error={tokens.error} onRetry={tokens.reload} />}
      {tokens.status === 'missing' && <EmptyState title={t('tokensPage.noApi')} />}
      {tokens.status === 'ok' && tokens.data.items.length === 0 && <EmptyState title={t('tokensPage.none')} />}
      {tokens.status === 'ok' && tokens.data.items.length > 0 && (
        <div class="table-scroll">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t('tokensPage.name')}</th>
                <th scope="col">{t('tokensPage.scope')}</th>
                <th scope="col">{t('tokensPage.createdAt')}</th>
                <th scope="col">{t('tokensPage.lastUsed')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('tokensPage.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.items.map((token) => (
                <tr key={token.id}>
                  <td>{token.name}</td>
                  <td>
                    <span class="chip">{scopeLabel(token.scope)}</span>
                  </td>
                  <td>{formatDate(token.createdAt)}</td>
                  <td>{token.lastUsedAt ? formatDate(token.lastUsedAt) : t('tokensPage.never')}</td>
                  <td>
                    <button type="button" class="button button-danger button-small" onClick={() => void revoke(token)}>
                      {withElements(t('tokensPage.revoke', slots('name')), {
                        name: <span class="visually-hidden">{token.name}</span>,
                      })}
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
