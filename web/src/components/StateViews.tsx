// The shared loading, empty, error and not-found states every page and section uses.
import type { ComponentChildren } from 'preact';
import type { ApiError } from '../api';
import { t } from '../i18n';
import { tRich } from '../message-elements';

export function Loading({ label = t('stateViews.loading') }: { label?: string }) {
  return (
    <p class="state state-loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="state state-empty">
      <p class="state-title">{title}</p>
      {children}
    </div>
  );
}

export function ErrorNotice({ error, onRetry }: { error: ApiError | Error | string; onRetry?: () => void }) {
  const title = typeof error === 'string' ? error : 'title' in error ? error.title : error.message;
  const detail = typeof error === 'object' && 'detail' in error ? error.detail : undefined;
  const fieldErrors = typeof error === 'object' && 'fieldErrors' in error ? error.fieldErrors : [];
  return (
    <div class="notice notice-error" role="alert">
      <p class="notice-title">{title}</p>
      {detail && <p>{detail}</p>}
      {fieldErrors.length > 0 && (
        <ul class="field-errors">
          {fieldErrors.map((fieldError, index) => (
            <li key={index}>
              {fieldError.field && <strong>{fieldError.field}</strong>} {fieldError.message}
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" class="button button-quiet" onClick={onRetry}>
          {t('stateViews.tryAgain')}
        </button>
      )}
    </div>
  );
}

export function NotFound({ what = t('stateViews.thisPage') }: { what?: string }) {
  return (
    <section class="page narrow">
      <h1 tabIndex={-1}>{t('stateViews.notFound')}</h1>
      <p>{t('stateViews.doesNotExist', { what })}</p>
      <p>
        <a href="/">{t('stateViews.exploreDesigns')}</a>
      </p>
    </section>
  );
}

/** "Sign in or create an account to …": `message` is the page's whole sentence, its two links as rich-text tags. */
export function SignInPrompt({ message }: { message: string }) {
  const next = encodeURIComponent(window.location.pathname + window.location.search);
  const sentence = tRich(message, {
    signIn: (text) => <a href={`/login?next=${next}`}>{text}</a>,
    createAccount: (text) => <a href={`/register?next=${next}`}>{text}</a>,
  });
  return (
    <div class="notice">
      <p>{sentence}</p>
    </div>
  );
}
