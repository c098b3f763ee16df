// Which character separates the cells of a delimited BOM: comma, tab or semicolon.

export type Delimiter = ',' | '\t' | ';';
export type DelimitedFormat = 'csv' | 'tsv' | 'ssv';

export const FORMAT_OF_DELIMITER: Readonly<Record<Delimiter, DelimitedFormat>> = {
  ',': 'csv',
  '\t': 'tsv',
  ';': 'ssv',
};

/** Ties go to the delimiter least likely to appear inside a cell: tab, then semicolon, then comma. */
const CANDIDATES: readonly Delimiter[] = ['\t', ';', ','];
const SAMPLE_LINES = 40;

/**
 * Picks the delimiter whose count per line is the most consistent over the first lines, counting
 * only outside double quotes. The file name is not trusted: a ".csv" from Excel may hold tabs,
 * and a semicolon file's decimal commas ("1,5") must not win over its steady semicolons.
 */
export function detectDelimiter(text: string): Delimiter {
  const lines = sampleLines(text);
  let best: Delimiter = ',';
  let bestScore = 0;
  for (const candidate of CANDIDATES) {
    const score = consistencyScore(lines.map((line) => countOutsideQuotes(line, candidate)));
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

function sampleLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  while (lines.length < SAMPLE_LINES && start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).replace(/\r$/, '');
    if (line.trim() !== '') lines.push(line);
    start = end + 1;
  }
  return lines;
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let count = 0;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) count++;
  }
  return count;
}

/**
 * Lines sharing one non-zero count, times log2(1 + that count): a delimiter that splits many
 * lines into the same many cells beats a comma that turns up once in a few descriptions.
 */
function consistencyScore(counts: readonly number[]): number {
  const frequency = new Map<number, number>();
  for (const count of counts) if (count > 0) frequency.set(count, (frequency.get(count) ?? 0) + 1);
  let score = 0;
  for (const [count, lines] of frequency) score = Math.max(score, lines * Math.log2(1 + count));
  return score;
}
