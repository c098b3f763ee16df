// Sign-in page: POST /api/auth/login {login, password} through the typed client → token stored for later requests.
import { useState } from 'preact/hooks';
import { apiClient, replyOf } from '../api-client';
import type { Me } from '../api-types';
import { ErrorNotice } from '../components/StateViews';
import { usePageTitle } from '../page-title';
import { navigate, useLocation } from '../router';
import { signIn } from '../session';
import { useFormSubmit } from '../use-form-submit';
import { t } from '../i18n';

/** Only same-site paths are followed after signing in, so a crafted link cannot send people elsewhere. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage() {
  usePageTitle(t('loginPage.title'));
  const location = useLocation();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');

  const { busy, error, submit } = useFormSubmit(async () => {
    const { token } = await replyOf(apiClient.POST('/api/auth/login', { body: { login, password } }));
    let handle = login;
    try {
      const me = await fetch('/api/me', { headers: { authorization: `Bearer ${token}` } });
      if (me.ok) handle = ((await me.json()) as Me).handle ?? login;
    } catch {
      /* the handle typed is good enough to show */
    }
    signIn(token, handle);
    navigate(safeNext(location.search.get('next')));
  });

  return (
    <section class="page narrow">
      <h1>{t('loginPage.title')}</h1>
      <form class="form card" onSubmit={submit}>
        {error && <ErrorNotice error={error} />}
        <label class="field">
          <span class="field-label">{t('loginPage.login')}</span>
          <input
            name="login"
            autoComplete="username"
            required
            value={login}
            onInput={(e) => setLogin(e.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span class="field-label">{t('loginPage.password')}</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <button class="button" type="submit" disabled={busy}>
          {busy ? t('loginPage.signingIn') : t('loginPage.signIn')}
        </button>
        <p class="muted">
          {t('loginPage.newHere')}{' '}
          <a href={`/register${location.search.toString() ? `?${location.search}` : ''}`}>{t('loginPage.register')}</a>
        </p>
      </form>
    </section>
  );
}
