// Parts matching the explore search: a workshop typing "hydraulic cylinder 2 inch" sees the part itself, which
// designs use it and how many, and what builders used in its place — beside the design results.
import type { PartHits } from '../api-types';
import { query } from '../api';
import { useApi } from '../use-api';
import { formatNumber } from '../format';
import { t } from '../i18n';
import { quantityWithUnit } from '../display-names';
import { slots, withElements } from '../message-elements';

const shownUses = 3;

export function PartMatches({ q }: { q: string }) {
  const parts = useApi<PartHits>(`/api/parts${query({ q, limit: 5 })}`);
  if (parts.status !== 'ok' || parts.data.items.length === 0) return null;
  return (
    <section class="part-matches card" aria-labelledby="part-matches-heading">
      <h2 id="part-matches-heading">{t('partMatches.heading', { q })}</h2>
      <ul>
        {parts.data.items.map((part) => {
          const count = part.usedInCount ?? part.usedIn.length;
          return (
            <li key={part.partNumber ?? part.name}>
              <strong>{part.name}</strong>
              {part.partNumber && <span class="muted"> · {part.partNumber}</span>}
              {part.mpn && <span class="muted"> · {t('partMatches.mpn', { mpn: part.mpn })}</span>}
              <div class="part-uses">
                {withElements(t('partMatches.usedIn', { count, ...slots('versions') }), {
                  versions: part.usedIn.slice(0, shownUses).map((use, i) => (
                    <span key={`${use.owner}/${use.slug}/${use.version}/${use.position}`}>
                      {i > 0 && t('partMatches.listSeparator')}
                      <a href={`/${use.owner}/${use.slug}/${use.version}#bom`}>
                        {use.owner}/{use.slug} {use.version}
                      </a>{' '}
                      <span class="muted">({quantityWithUnit(use.quantity, use.unit, 6)})</span>
                    </span>
                  )),
                })}
                {count > shownUses && <span class="muted"> {t('partMatches.more', { count: count - shownUses })}</span>}
              </div>
              {part.substitutes && part.substitutes.length > 0 && (
                <div class="part-substitutes muted">
                  {t('partMatches.substitutes', {
                    parts: part.substitutes
                      .map((s) => `${s.name} (${formatNumber(s.reports)})`)
                      .join(t('partMatches.listSeparator')),
                  })}
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
