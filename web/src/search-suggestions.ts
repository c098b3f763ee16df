// Example searches for the explore page, taken from the designs the registry holds, so that each one finds something
// here (a fixed example such as "grain mill" finds nothing on most instances).
import type { Design } from './api-types';

/**
 * Up to `max` searches: the one-word tags most designs share (tags are searched like titles), then the titles of
 * designs not covered by those tags. A tag with a hyphen or digits is left out: it reads as jargon, not a search.
 */
export function suggestSearches(designs: Design[], max = 4): string[] {
  const counts = new Map<string, number>();
  for (const design of designs) {
    for (const tag of new Set((design.tags ?? []).map((t) => t.toLowerCase()))) {
      if (/^[a-z]{3,}$/.test(tag)) counts.set(tag, (counts.get(tag) ?? 0) + 1);
    }
  }
  const tags = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([tag]) => tag);
  const picked: string[] = [];
  const covered = new Set<Design>();
  // one tag per design at most, so the examples lead to different machines
  for (const tag of tags) {
    if (picked.length >= max) break;
    const matching = designs.filter((design) => (design.tags ?? []).some((t) => t.toLowerCase() === tag));
    if (matching.every((design) => covered.has(design))) continue;
    picked.push(tag);
    matching.forEach((design) => covered.add(design));
  }
  for (const design of designs) {
    if (picked.length >= max) break;
    const title = design.title.trim().toLowerCase();
    if (!covered.has(design) && title && !picked.includes(title)) {
      picked.push(title);
      covered.add(design);
    }
  }
  return picked;
}
