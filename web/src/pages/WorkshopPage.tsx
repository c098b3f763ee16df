// One workshop `/workshops/{slug}`: place, processes, members, its build reports and what it can build.
import type { BuildReportList, BuildSummary, Workshop, WorkshopBuildable } from '../api-types';
import { EmptyState, ErrorNotice, Loading, NotFound } from '../components/StateViews';
import { formatDate, parseRef } from '../format';
import { t } from '../i18n';
import { usePageTitle } from '../page-title';
import { outcomeText, stateText } from '../components/BuildReview';
import { designUrl } from '../router';
import { useApi } from '../use-api';
import { placeName, processName } from '../display-names';
import { PersonLink } from '../components/PersonLink';
import { WatchButton } from '../components/WatchButton';

function BuildList({ builds }: { builds: BuildSummary[] }) {
  if (builds.length === 0) return <p class="muted">{t('workshopPage.noBuilds')}</p>;
  return (
    <ul class="build-list">
      {builds.map((build) => {
        const ref = parseRef(
          typeof build.design === 'string'
            ? build.design
            : (build.design ??
                (build.owner && build.slug ? { owner: build.owner, slug: build.slug, version: build.version } : null)),
        );
        return (
          <li key={build.id}>
            <a href={`/reviews?build=${encodeURIComponent(build.id)}`}>
              {ref
                ? `${ref.owner}/${ref.slug}${ref.version || build.version ? `@${ref.version ?? build.version}` : ''}`
                : t('workshopPage.build', { id: build.id })}
            </a>{' '}
            {build.outcome && <span class={`badge badge-outcome-${build.outcome}`}>{outcomeText(build.outcome)}</span>}{' '}
            {build.state && <span class="chip">{stateText(build.state)}</span>}{' '}
            <span class="muted">{formatDate(build.submittedAt ?? build.createdAt)}</span>
          </li>
        );
      })}
    </ul>
  );
}

export function WorkshopPage({ slug }: { slug: string }) {
  const workshop = useApi<Workshop>(`/api/workshops/${encodeURIComponent(slug)}`);
  const builds = useApi<BuildReportList>(
    workshop.status === 'ok' && !workshop.data.builds ? `/api/workshops/${encodeURIComponent(slug)}/builds` : null,
  );
  const buildable = useApi<WorkshopBuildable>(`/api/workshops/${encodeURIComponent(slug)}/buildable`);
  usePageTitle(workshop.status === 'ok' ? workshop.data.name : t('workshopPage.titleFallback'));

  if (workshop.status === 'missing') return <NotFound what={t('workshopPage.notFound', { slug })} />;
  if (workshop.status === 'error') return <ErrorNotice error={workshop.error} onRetry={workshop.reload} />;
  if (workshop.status !== 'ok') return <Loading label={t('workshopPage.loading')} />;
  const info = workshop.data;
  const buildList = info.builds ?? (builds.status === 'ok' ? builds.data.items : null);
  const buildableItems = buildable.status === 'ok' ? buildable.data.items : [];

  return (
    <article class="page">
      <p class="breadcrumb">
        <a href="/workshops">{t('workshopPage.breadcrumb')}</a> / {info.slug}
      </p>
      <h1>{info.name}</h1>
      <p class="lede">{placeName(info.place)}</p>
      <WatchButton
        path={`/api/workshops/${encodeURIComponent(info.slug)}`}
        watching={info.watching ?? false}
        hint={t('watchButton.workshopHint')}
      />
      {info.description && <p>{info.description}</p>}
      <div class="grid-2 workshop-layout">
        <section class="section" aria-labelledby="processes-heading">
          <h2 id="processes-heading">{t('workshopPage.processes')}</h2>
          {[...(info.processes ?? []), ...(info.tools ?? [])].length === 0 ? (
            <p class="muted">{t('workshopPage.noneListed')}</p>
          ) : (
            <ul class="chips">
              {[...(info.processes ?? []), ...(info.tools ?? [])].map((name) => (
                <li key={name} class="chip">
                  {processName(name)}
                </li>
              ))}
            </ul>
          )}
          {info.members && info.members.length > 0 && (
            <>
              <h3>{t('workshopPage.members')}</h3>
              <ul>
                {info.members.map((member) => (
                  <li key={member.handle}>
                    <PersonLink handle={member.handle} />{' '}
                    {member.role && <span class="muted">({t('workshopPage.role', { role: member.role })})</span>}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
        <section class="section" aria-labelledby="builds-heading">
          <h2 id="builds-heading">{t('workshopPage.builds')}</h2>
          {buildList ? (
            <BuildList builds={buildList} />
          ) : builds.status === 'loading' ? (
            <Loading />
          ) : (
            <p class="muted">{t('workshopPage.noBuilds')}</p>
          )}
        </section>
      </div>
      {buildable.status !== 'missing' && (
        <section class="section" aria-labelledby="buildable-heading">
          <h2 id="buildable-heading">{t('workshopPage.canBuild')}</h2>
          {buildable.status === 'loading' && <Loading />}
          {buildable.status === 'error' && <ErrorNotice error={buildable.error} />}
          {buildable.status === 'ok' && buildableItems.length === 0 && (
            <EmptyState title={t('workshopPage.noBuildable')} />
          )}
          {buildableItems.length > 0 && (
            <ul class="buildable-list">
              {buildableItems.map((design) => (
                <li key={`${design.owner}/${design.slug}`}>
                  <a href={designUrl(design.owner, design.slug, design.version)}>
                    {design.title ?? `${design.owner}/${design.slug}`}
                  </a>{' '}
                  <span class="muted">
                    {design.owner}/{design.slug}
                    {design.version ? `@${design.version}` : ''}
                  </span>
                  {design.built ? (
                    <>
                      {' '}
                      <a
                        class="badge badge-outcome-success"
                        href={`/reviews?build=${encodeURIComponent(design.built.report)}`}
                      >
                        {design.built.outcome === 'partial'
                          ? t('workshopPage.partlyBuiltHere', { version: design.built.version })
                          : t('workshopPage.builtHere', { version: design.built.version })}
                      </a>
                    </>
                  ) : (
                    Array.isArray(design.missing) &&
                    design.missing.length > 0 && (
                      <span class="muted"> — {t('workshopPage.missing', { missing: design.missing.join(', ') })}</span>
                    )
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </article>
  );
}
