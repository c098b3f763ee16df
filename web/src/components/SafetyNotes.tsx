// The safety notes of a version and its safety-critical flag, shown before anything else a builder reads.
import { t } from '../i18n';

export function SafetyNotes({ manifest }: { manifest: Record<string, unknown> }) {
  const notes = Array.isArray(manifest.safety)
    ? manifest.safety.filter((note): note is string => typeof note === 'string' && note.trim() !== '')
    : [];
  const critical = manifest.safetyCritical === true;
  if (!notes.length && !critical) return null;
  return (
    <section class={`section safety-notes${critical ? ' safety-critical' : ''}`} aria-labelledby="safety-heading">
      <h2 id="safety-heading">{critical ? t('safetyNotes.critical') : t('safetyNotes.heading')}</h2>
      {critical && <p>{t('safetyNotes.criticalText')}</p>}

      {notes.length > 0 && (
        <ul>
          {notes.map((note, i) => (
            <li key={i} dir="auto">
              {note}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
