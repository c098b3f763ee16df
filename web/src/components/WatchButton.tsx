// Watching a design or a workshop: a toggle (PUT or DELETE its …/watch) for a signed-in reader; nothing for others.
import { useState } from 'preact/hooks';
import { apiRequest } from '../api';
import { useSession } from '../session';
import { t } from '../i18n';

/** `path` is the API path of what is watched: `/api/designs/{owner}/{slug}` or `/api/workshops/{slug}`. */
export function WatchButton(props: { path: string; watching: boolean; hint: string }) {
  const session = useSession();
  const [watching, setWatching] = useState(props.watching);
  const [busy, setBusy] = useState(false);
  if (!session.token) return null;
  const toggle = async () => {
    const before = watching;
    setWatching(!before);
    setBusy(true);
    try {
      await apiRequest(`${props.path}/watch`, { method: before ? 'DELETE' : 'PUT' });
    } catch {
      setWatching(before);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      class="button button-quiet watch-button"
      aria-pressed={watching}
      title={props.hint}
      disabled={busy}
      onClick={() => void toggle()}
    >
      {watching ? t('watchButton.watching') : t('watchButton.watch')}
    </button>
  );
}
