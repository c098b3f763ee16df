// The safety notes of a version and its safety-critical flag, shown before anything else a builder reads.
export function SafetyNotes({ manifest }: { manifest: Record<string, unknown> }) {
  const notes = Array.isArray(manifest.safety)
    ? manifest.safety.filter((note): note is string => typeof note === 'string' && note.trim() !== '')
    : [];
  const critical = manifest.safetyCritical === true;
  if (!notes.length && !critical) return null;
  return (
    <section class={`section safety-notes${critical ? ' safety-critical' : ''}`} aria-labelledby="safety-heading">
      <h2 id="safety-heading">{critical ? 'Safety-critical machine' : 'Safety'}</h2>
      {critical && (
        <p>A failure of this machine can hurt people. Build it as documented and have the build checked before use.</p>
      )}
      {notes.length > 0 && (
        <ul>
          {notes.map((note, i) => (
            <li key={i}>{note}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
