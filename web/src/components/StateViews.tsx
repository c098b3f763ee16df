// The shared loading, empty, error and not-found states every page and section uses.
import type { ComponentChildren } from 'preact';
import type { ApiError } from '../api';

export function Loading({ label = 'Loading…' }: { label?: string }) {
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
          Try again
        </button>
      )}
    </div>
  );
}

export function NotFound({ what = 'This page' }: { what?: string }) {
  return (
    <section class="page narrow">
      <h1 tabIndex={-1}>Not found</h1>
      <p>{what} does not exist, or it has moved.</p>
      <p>
        <a href="/">Explore designs</a>
      </p>
    </section>
  );
}

export function SignInPrompt({ action }: { action: string }) {
  const next = encodeURIComponent(window.location.pathname + window.location.search);
  return (
    <div class="notice">
      <p>
        <a href={`/login?next=${next}`}>Sign in</a> or <a href={`/register?next=${next}`}>create an account</a> to{' '}
        {action}.
      </p>
    </div>
  );
}
