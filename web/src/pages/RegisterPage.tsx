// Account creation: POST /api/auth/register {handle, email, password} → {token, user}.
import { useState } from 'preact/hooks';
import { apiClient, replyOf } from '../api-client';
import { ErrorNotice } from '../components/StateViews';
import { usePageTitle } from '../page-title';
import { navigate, useLocation } from '../router';
import { signIn } from '../session';
import { safeNext } from './LoginPage';
import { useFormSubmit } from '../use-form-submit';
import { t } from '../i18n';

export function RegisterPage() {
  usePageTitle(t('registerPage.title'));
  const location = useLocation();
  const [handle, setHandle] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const { busy, error, submit } = useFormSubmit(async () => {
    const reply = await replyOf(apiClient.POST('/api/auth/register', { body: { handle, email, password } }));
    signIn(reply.token, reply.user?.handle ?? handle);
    navigate(safeNext(location.search.get('next')));
  });

  return (
    <section class="page narrow">
      <h1>{t('registerPage.title')}</h1>
      <p class="lede">{t('registerPage.lede')}</p>
      <form class="form card" onSubmit={submit}>
        {error && <ErrorNotice error={error} />}
        <label class="field">
          <span class="field-label">{t('registerPage.handle')}</span>
          <input
            name="handle"
            autoComplete="username"
            required
            pattern="[a-z0-9][a-z0-9\-]{1,38}"
            aria-describedby="handle-hint"
            value={handle}
            onInput={(e) => setHandle(e.currentTarget.value.toLowerCase())}
          />
          <span class="field-hint" id="handle-hint">
            {t('registerPage.handleHint')}
          </span>
        </label>
        <label class="field">
          <span class="field-label">{t('registerPage.email')}</span>
          <input
            name="email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span class="field-label">{t('registerPage.password')}</span>
          <input
            name="password"
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
            aria-describedby="password-hint"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
          <span class="field-hint" id="password-hint">
            {t('registerPage.passwordHint', { count: 8 })}
          </span>
        </label>
        <button class="button" type="submit" disabled={busy}>
          {busy ? t('registerPage.creating') : t('registerPage.create')}
        </button>
        <p class="muted">
          {t('registerPage.haveOne')} <a href="/login">{t('registerPage.signIn')}</a>
        </p>
      </form>
    </section>
  );
}
