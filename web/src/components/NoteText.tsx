// Plain-text notes as people write them: one paragraph, or one point per line ("- guard fitted"), shown as a list.
const bullet = /^\s*(?:[-*•]|\d+[.)])\s+/;

/** The points of a note: its non-empty lines without their bullet marks. */
function notePoints(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(bullet, '').trim())
    .filter(Boolean);
}

export function NoteText({ text, class: className }: { text: string; class?: string }) {
  const points = notePoints(text);
  if (points.length <= 1) return <p class={`prewrap ${className ?? ''}`.trim()}>{text.trim()}</p>;
  return (
    <ul class={className}>
      {points.map((point, index) => (
        <li key={index}>{point}</li>
      ))}
    </ul>
  );
}
