// A design's star: the count, and for a signed-in reader a toggle (PUT or DELETE …/star) that shows its new state at
// once and goes back if the server refuses.
import { useState } from 'preact/hooks';
import { apiRequest, designPath } from '../api';
import { useSession } from '../session';
import { t } from '../i18n';

export function StarButton(props: { owner: string; slug: string; stars: number; starred: boolean }) {
  const session = useSession();
  const [state, setState] = useState({ stars: props.stars, starred: props.starred });
  const [busy, setBusy] = useState(false);
  const count = t('starButton.count', { count: state.stars });
  if (!session.token)
    return (
      <a class="button button-quiet star-button" href="/login" title={t('starButton.signIn')}>
        <StarIcon filled={false} /> {count}
      </a>
    );
  const toggle = async () => {
    const before = state;
    const next = { stars: before.stars + (before.starred ? -1 : 1), starred: !before.starred };
    setState(next);
    setBusy(true);
    try {
      await apiRequest(designPath(props.owner, props.slug, '/star'), { method: before.starred ? 'DELETE' : 'PUT' });
    } catch {
      setState(before);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      class="button button-quiet star-button"
      aria-pressed={state.starred}
      disabled={busy}
      onClick={() => void toggle()}
    >
      <StarIcon filled={state.starred} /> {state.starred ? t('starButton.starred') : t('starButton.star')}
      <span class="star-count">{count}</span>
    </button>
  );
}

function StarIcon({ filled }: { filled: boolean }) {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
      <path
        d="m12 3 2.8 5.7 6.2.9-4.5 4.4 1.1 6.2L12 17.3 6.4 20.2l1.1-6.2L3 9.6l6.2-.9z"
        fill={filled ? 'currentColor' : 'none'}
        stroke="currentColor"
        stroke-width="1.8"
        stroke-linejoin="round"
      />
    </svg>
  );
}
