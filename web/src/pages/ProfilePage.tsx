// A person's profile (`/{handle}`, `/{handle}@{host}` for someone of another instance): avatar, name, bio, place,
// links, the designs they maintain and fork, their workshops, approved builds and recent activity.
import type { UserProfile } from '../api-types';
import { DesignCard } from '../components/DesignCard';
import { ReportButton } from '../components/ReportButton';
import { EmptyState, ErrorNotice, Loading, NotFound } from '../components/StateViews';
import { formatDate } from '../format';
import { t } from '../i18n';
import { usePageTitle } from '../page-title';
import { designUrl } from '../router';
import { useSession } from '../session';
import { useApi } from '../use-api';

type Activity = UserProfile['activity'][number];

/** One line of activity as a sentence with its design linked. */
function ActivityLine({ item }: { item: Activity }) {
  const design = `${item.design.owner}/${item.design.slug}`;
  const link = (
    <a href={designUrl(item.design.owner, item.design.slug, item.kind === 'version' ? item.version : undefined)}>
      {design}
    </a>
  );
  const what =
    item.kind === 'version'
      ? t('profilePage.published', { version: item.version ?? '' })
      : item.kind === 'build-report'
        ? t('profilePage.reportedBuild', { outcome: item.outcome ?? '' })
        : t('profilePage.proposed', { state: item.state ?? '' });
  return (
    <li>
      <time dateTime={item.at}>{formatDate(item.at)}</time> · {what} {link}
      {item.kind === 'build-report' && item.report && (
        <>
          {' '}
          (<a href={`/api/builds/${encodeURIComponent(item.report)}`}>{t('profilePage.report')}</a>)
        </>
      )}
    </li>
  );
}

export function ProfilePage({ handle }: { handle: string }) {
  const profile = useApi<UserProfile>(`/api/users/${encodeURIComponent(handle)}`);
  const session = useSession();
  const p = profile.status === 'ok' || profile.status === 'loading' ? profile.data : undefined;
  usePageTitle(p ? (p.name ? `${p.name} (@${p.handle})` : `@${p.handle}`) : `@${handle}`);
  if (profile.status === 'missing') return <NotFound what={`@${handle}`} />;
  if (profile.status === 'error') return <ErrorNotice error={profile.error} onRetry={profile.reload} />;
  if (!p) return <Loading />;
  const own = session.handle === p.handle;
  return (
    <article class="page profile">
      <header class="profile-header">
        {p.avatar ? (
          <img class="avatar avatar-large" src={p.avatar.large} alt={t('profilePage.avatarOf', { handle: p.handle })} />
        ) : (
          <span class="avatar avatar-large avatar-empty" aria-hidden="true">
            {(p.name ?? p.handle).slice(0, 1).toUpperCase()}
          </span>
        )}
        <div>
          <h1>{p.name ?? `@${p.handle}`}</h1>
          {p.name && <p class="profile-handle">@{p.handle}</p>}
          {p.place && <p class="muted profile-place">{p.place}</p>}
          {p.remote && (
            <p class="muted">
              {t('profilePage.remote', { instance: p.remote.instance })}{' '}
              <a href={p.remote.url} rel="noopener noreferrer nofollow">
                {t('profilePage.remoteLink')}
              </a>
            </p>
          )}
          {p.hidden && <p class="notice notice-warning">{t('profilePage.hidden')}</p>}
          {own && (
            <p>
              <a class="button button-small button-quiet" href="/settings/profile">
                {t('profilePage.edit')}
              </a>
            </p>
          )}
          {/* anyone signed in but the person themselves may report a profile to the admins */}
          {session.token && !own && <ReportButton subject="profile" id={p.handle} what={`@${p.handle}`} />}
        </div>
      </header>
      {p.bioHtml && <div class="profile-bio prose" dangerouslySetInnerHTML={{ __html: p.bioHtml }} />}
      {p.links.length > 0 && (
        <ul class="profile-links">
          {p.links.map((l) => (
            <li key={l.url}>
              <a href={l.url} rel="noopener noreferrer nofollow me" target="_blank">
                {l.label ?? l.url.replace(/^https?:\/\//i, '')}
              </a>
            </li>
          ))}
        </ul>
      )}
      <section class="section" aria-labelledby="profile-designs">
        <h2 id="profile-designs">{t('profilePage.designs')}</h2>
        {p.designs.length === 0 ? (
          <EmptyState title={t('profilePage.noDesigns')} />
        ) : (
          <ul class="design-grid">
            {p.designs.map((d) => (
              <li key={`${d.owner}/${d.slug}`}>
                <DesignCard design={d} />
              </li>
            ))}
          </ul>
        )}
      </section>
      {p.forks.length > 0 && (
        <section class="section" aria-labelledby="profile-forks">
          <h2 id="profile-forks">{t('profilePage.forks')}</h2>
          <ul class="design-grid">
            {p.forks.map((d) => (
              <li key={`${d.owner}/${d.slug}`}>
                <DesignCard design={d} />
              </li>
            ))}
          </ul>
        </section>
      )}
      <div class="grid-2">
        <section class="section" aria-labelledby="profile-workshops">
          <h2 id="profile-workshops">{t('profilePage.workshops')}</h2>
          {p.workshops.length === 0 ? (
            <p class="muted">{t('profilePage.noWorkshops')}</p>
          ) : (
            <ul>
              {p.workshops.map((w) => (
                <li key={w.slug}>
                  <a href={`/workshops/${encodeURIComponent(w.slug)}`}>{w.name}</a>{' '}
                  <span class="muted">({t('workshopPage.role', { role: w.role })})</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section class="section" aria-labelledby="profile-builds">
          <h2 id="profile-builds">{t('profilePage.builds')}</h2>
          {p.builds.length === 0 ? (
            <p class="muted">{t('profilePage.noBuilds')}</p>
          ) : (
            <ul>
              {p.builds.map((b) => (
                <li key={b.id}>
                  <a href={designUrl(b.design.owner, b.design.slug, b.design.version)}>
                    {b.design.owner}/{b.design.slug}@{b.design.version}
                  </a>{' '}
                  · {b.workshop.instance ? `${b.workshop.name} (${b.workshop.instance})` : b.workshop.name} ·{' '}
                  <time dateTime={b.date}>{formatDate(b.date)}</time>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <section class="section" aria-labelledby="profile-activity">
        <h2 id="profile-activity">{t('profilePage.activity')}</h2>
        {p.activity.length === 0 ? (
          <p class="muted">{t('profilePage.noActivity')}</p>
        ) : (
          <ul class="profile-activity">
            {p.activity.map((item, i) => (
              <ActivityLine key={i} item={item} />
            ))}
          </ul>
        )}
      </section>
    </article>
  );
}
