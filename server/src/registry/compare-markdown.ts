// A compare as a Markdown changelog a maker can paste into a README, a forum post or a pull request.
import type { CompareResult } from './compare.js';

const code = (s: string) => `\`${s.replaceAll('`', "'")}\``;
const value = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));
const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

export function compareMarkdown(c: CompareResult): string {
  const out: string[] = [`# Changes from ${c.from} to ${c.to}`, ''];
  out.push('## Manifest', '');
  if (!c.manifest.length) out.push('No manifest changes.');
  for (const m of c.manifest) {
    if (m.kind === 'added') out.push(`- ${code(m.field)} added: ${value(m.to)}`);
    else if (m.kind === 'removed') out.push(`- ${code(m.field)} removed (was ${value(m.from)})`);
    else out.push(`- ${code(m.field)}: ${value(m.from)} → ${value(m.to)}`);
  }
  out.push('', '## Files', '');
  const f = c.files;
  for (const x of f.added) out.push(`- Added ${code(x.path)}`);
  for (const x of f.removed) out.push(`- Removed ${code(x.path)}`);
  for (const x of f.renamed) out.push(`- Renamed ${code(x.from)} → ${code(x.path)}`);
  for (const x of f.changed) {
    const g = c.geometry.find((e) => e.path === x.path);
    const notes: string[] = [];
    if (g?.from && g.to) {
      if (g.delta.triangles) notes.push(`triangles ${g.from.triangles} → ${g.to.triangles}`);
      if (g.delta.volume) notes.push(`volume ${signed(g.delta.volume)} mm³`);
      if (g.delta.size?.some((d) => d !== 0)) notes.push(`size ${g.delta.size.map(signed).join(' × ')} mm`);
    }
    out.push(`- Changed ${code(x.path)}${notes.length ? ` (${notes.join(', ')})` : ''}`);
  }
  out.push(`- ${f.unchanged} file${f.unchanged === 1 ? '' : 's'} unchanged`);
  if (c.bom) {
    out.push('', '## Bill of materials', '');
    for (const l of c.bom.added)
      out.push(`- Added ${[l.partNumber, l.name].filter(Boolean).join(' ')}: ${l.quantity} ${l.unit}`);
    for (const l of c.bom.removed)
      out.push(`- Removed ${[l.partNumber, l.name].filter(Boolean).join(' ')}: ${l.quantity} ${l.unit}`);
    for (const l of c.bom.changed) {
      const what = Object.entries(l.changes)
        .map(([k, v]) => `${k} ${v?.from ?? '—'} → ${v?.to ?? '—'}`)
        .join(', ');
      out.push(`- Changed ${[l.partNumber, l.name].filter(Boolean).join(' ')}: ${what}`);
    }
    out.push(`- ${c.bom.unchanged} line${c.bom.unchanged === 1 ? '' : 's'} unchanged`);
    const cost = Object.entries(c.bom.costDelta).filter(([, d]) => Number(d) !== 0);
    if (cost.length)
      out.push(`- Cost per unit: ${cost.map(([cur, d]) => `${Number(d) > 0 ? '+' : ''}${d} ${cur}`).join(', ')}`);
  }
  return out.join('\n') + '\n';
}
