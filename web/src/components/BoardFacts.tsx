// A board's facts in words, like a mesh's: outline size, layers, copper layers, holes and the smallest one.
import type { VersionBoard } from '../api-types';
import { formatNumber } from '../format';
import { t } from '../i18n';

export function boardFactsText(facts: VersionBoard['facts']): string[] {
  if (!facts) return [];
  const out = [t('boardFacts.size', { width: formatNumber(facts.width, 1), height: formatNumber(facts.height, 1) })];
  if (facts.layers !== undefined) out.push(t('boardFacts.layers', { count: facts.layers }));
  out.push(t('boardFacts.copperLayers', { count: facts.copperLayers }));
  out.push(t('boardFacts.holes', { count: facts.holes, figure: formatNumber(facts.holes, 0) }));
  if (facts.smallestHole !== null)
    out.push(t('boardFacts.smallestHole', { size: formatNumber(facts.smallestHole, 2) }));
  return out;
}

export function BoardFacts({ facts }: { facts: VersionBoard['facts'] }) {
  const lines = boardFactsText(facts);
  if (lines.length === 0) return null;
  return (
    <ul class="board-facts" data-testid="board-facts">
      {lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}
