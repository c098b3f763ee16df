// Account creation: POST /api/auth/register {handle, email, password} → {token, user}.
import { useState } from 'preact/hooks';
import { apiClient, replyOf } from '../api-client';
import { ErrorNotice } from '../components/StateViews';
import { usePageTitle } from '../page-title';
import { navigate, useLocation } from '../router';
import { signIn } from '../session';
import { safeNext } from './LoginPage';
import { useFormSubmit } from '../use-form-submit';

export function RegisterPage() {
  usePageTitle('Create an account');
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
      <h1>Create an account</h1>
      <p class="lede">
        Publish designs, report the machines your workshop builds, and review builds of your own designs.
      </p>
      <form class="form card" onSubmit={submit}>
        {error && <ErrorNotice error={error} />}
        <label class="field">
          <span class="field-label">Handle</span>
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
            Lower-case letters, digits and hyphens; your designs live at /handle/design.
          </span>
        </label>
        <label class="field">
          <span class="field-label">Email</span>
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
          <span class="field-label">Password</span>
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
            At least 8 characters.
          </span>
        </label>
        <button class="button" type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create account'}
        </button>
        <p class="muted">
          Already have one? <a href="/login">Sign in</a>
        </p>
      </form>
    </section>
  );
}
