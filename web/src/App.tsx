// The app shell: header navigation, skip link, the page for the current route, focus and title on navigation.
import { useEffect } from 'preact/hooks';
import { matchRoute, useLocation, type Route } from './router';
import { useSession } from './session';
import { signOutAndRevoke } from './api';
import { useApi } from './use-api';
import type { Me } from './api-types';
import { ExplorePage } from './pages/ExplorePage';
import { DesignPage } from './pages/DesignPage';
import { ComparePage } from './pages/ComparePage';
import { DiscussionPage } from './pages/DiscussionPage';
import { BoardPage } from './pages/BoardPage';
import { PublishPage } from './pages/PublishPage';
import { WorkshopsPage } from './pages/WorkshopsPage';
import { WorkshopPage } from './pages/WorkshopPage';
import { ReviewsPage } from './pages/ReviewsPage';
import { LoginPage } from './pages/LoginPage';
import { RegisterPage } from './pages/RegisterPage';
import { TokensPage } from './pages/TokensPage';
import { FeedPage } from './pages/FeedPage';
import { OutboxPage } from './pages/OutboxPage';
import { ProfilePage } from './pages/ProfilePage';
import { ProfileSettingsPage } from './pages/ProfileSettingsPage';
import { NotFound } from './components/StateViews';
import { LanguageMenu } from './components/LanguageMenu';
import { NotificationBell } from './components/NotificationBell';
import { t } from './i18n';

function PageForRoute({ route }: { route: Route }) {
  switch (route.name) {
    case 'explore':
      return <ExplorePage />;
    case 'design':
      return (
        <DesignPage
          key={`${route.owner}/${route.slug}`}
          owner={route.owner}
          slug={route.slug}
          version={route.version}
        />
      );
    case 'compare':
      return <ComparePage owner={route.owner} slug={route.slug} />;
    case 'discussion':
      return <DiscussionPage key={route.id} owner={route.owner} slug={route.slug} id={route.id} />;
    case 'board':
      return (
        <BoardPage
          key={`${route.owner}/${route.slug}/${route.version}/${route.board}`}
          owner={route.owner}
          slug={route.slug}
          version={route.version}
          board={route.board}
        />
      );
    case 'publish':
      return <PublishPage />;
    case 'workshops':
      return <WorkshopsPage />;
    case 'workshop':
      return <WorkshopPage key={route.slug} slug={route.slug} />;
    case 'reviews':
      return <ReviewsPage />;
    case 'login':
      return <LoginPage />;
    case 'register':
      return <RegisterPage />;
    case 'tokens':
      return <TokensPage />;
    case 'feed':
      return <FeedPage />;
    case 'outbox':
      return <OutboxPage />;
    case 'profile':
      return <ProfilePage key={route.handle} handle={route.handle} />;
    case 'profile-settings':
      return <ProfileSettingsPage />;
    default:
      return <NotFound />;
  }
}

/** The project's name, the same in every language. */
const brand = 'Andecha';

function SiteHeader({ route }: { route: Route }) {
  const session = useSession();
  // the outbox is the admins' page: the link shows to them only
  const me = useApi<Me>(session.token ? '/api/me' : null);
  const isAdmin = me.status === 'ok' && me.data.isAdmin;
  const current = (name: Route['name']) => (route.name === name ? 'page' : undefined);
  return (
    <header class="site-header">
      <a class="skip-link" href="#main">
        {t('shell.skip')}
      </a>
      <div class="site-header-inner">
        <a class="brand" href="/" aria-label={t('shell.brandLabel')}>
          <svg viewBox="0 0 32 32" width="30" height="30" aria-hidden="true">
            <rect width="32" height="32" rx="7" fill="currentColor" />
            <path
              d="M9 24 16 8l7 16M12 18h8"
              stroke="#f6efe3"
              stroke-width="3"
              fill="none"
              stroke-linecap="round"
              stroke-linejoin="round"
            />
          </svg>
          <span>{brand}</span>
        </a>
        <nav aria-label={t('shell.mainNav')} class="site-nav">
          <a href="/" aria-current={current('explore')}>
            {t('shell.explore')}
          </a>
          <a href="/workshops" aria-current={current('workshops') ?? current('workshop')}>
            {t('shell.workshops')}
          </a>
          <a href="/publish" aria-current={current('publish')}>
            {t('shell.publish')}
          </a>
          {session.token && (
            <>
              <a href="/feed" aria-current={current('feed')}>
                {t('shell.feed')}
              </a>
              <a href="/reviews" aria-current={current('reviews')}>
                {t('shell.reviews')}
              </a>
              {isAdmin && (
                <a href="/outbox" aria-current={current('outbox')}>
                  {t('shell.outbox')}
                </a>
              )}
            </>
          )}
        </nav>
        <div class="site-account">
          <LanguageMenu
            signedIn={Boolean(session.token)}
            accountLocale={me.status === 'ok' ? (me.data.locale ?? null) : undefined}
          />
          {session.token ? (
            <>
              <NotificationBell key={session.handle} />
              <a href={`/${encodeURIComponent(session.handle ?? '')}`} aria-current={current('profile')}>
                @{session.handle}
              </a>
              <a href="/settings/profile" aria-current={current('profile-settings')}>
                {t('shell.settings')}
              </a>
              <button type="button" class="button button-quiet button-small" onClick={() => void signOutAndRevoke()}>
                {t('shell.signOut')}
              </button>
            </>
          ) : (
            <>
              <a href="/login" aria-current={current('login')}>
                {t('shell.signIn')}
              </a>
              <a class="button button-small" href="/register" aria-current={current('register')}>
                {t('shell.join')}
              </a>
            </>
          )}
        </div>
      </div>
    </header>
  );
}

export function App() {
  const location = useLocation();
  const route = matchRoute(location.pathname);

  // After a navigation move focus to the new page's heading so screen readers and keyboards start there.
  useEffect(() => {
    const main = document.getElementById('main');
    if (!main || document.activeElement === document.body || main.contains(document.activeElement) === false) {
      const heading = main?.querySelector<HTMLElement>('h1');
      if (heading && document.activeElement?.tagName !== 'INPUT') {
        heading.tabIndex = -1;
        heading.focus({ preventScroll: true });
      }
    }
    window.scrollTo(0, 0);
  }, [location.pathname]);

  return (
    <>
      <SiteHeader route={route} />
      <main id="main" tabIndex={-1}>
        <PageForRoute route={route} />
      </main>
      <footer class="site-footer">
        <p>
          {t('shell.footer')} <a href="/api/openapi.json">{t('shell.api')}</a>
        </p>
      </footer>
    </>
  );
}
