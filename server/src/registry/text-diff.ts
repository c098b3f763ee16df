// Two texts side by side, line by line (jsdiff's Myers diff): what changed in a README between the version a
// translation follows and the version shown. A run of removed lines followed by added ones pairs up as changed.
import { diffArrays } from 'diff';

export interface SideBySideRow {
  kind: 'same' | 'removed' | 'added' | 'changed';
  before?: string;
  after?: string;
}

const linesOf = (text: string) => text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');

export function sideBySide(before: string, after: string): SideBySideRow[] {
  const rows: SideBySideRow[] = [];
  const parts = diffArrays(linesOf(before), linesOf(after));
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (!part.added && !part.removed) {
      for (const line of part.value) rows.push({ kind: 'same', before: line, after: line });
    } else if (part.removed && parts[i + 1]?.added) {
      const added = parts[++i].value;
      const n = Math.max(part.value.length, added.length);
      for (let k = 0; k < n; k++) {
        const [b, a] = [part.value[k], added[k]];
        rows.push(
          b !== undefined && a !== undefined
            ? { kind: 'changed', before: b, after: a }
            : b !== undefined
              ? { kind: 'removed', before: b }
              : { kind: 'added', after: a },
        );
      }
    } else if (part.removed) {
      for (const line of part.value) rows.push({ kind: 'removed', before: line });
    } else {
      for (const line of part.value) rows.push({ kind: 'added', after: line });
    }
  }
  return rows;
}
