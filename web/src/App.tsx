// The app shell: header navigation, skip link, the page for the current route, focus and title on navigation.
import { useEffect } from 'preact/hooks';
import { matchRoute, useLocation, type Route } from './router';
import { useSession } from './session';
import { signOutAndRevoke } from './api';
import { ExplorePage } from './pages/ExplorePage';
import { DesignPage } from './pages/DesignPage';
import { ComparePage } from './pages/ComparePage';
import { PublishPage } from './pages/PublishPage';
import { WorkshopsPage } from './pages/WorkshopsPage';
import { WorkshopPage } from './pages/WorkshopPage';
import { ReviewsPage } from './pages/ReviewsPage';
import { LoginPage } from './pages/LoginPage';
import { RegisterPage } from './pages/RegisterPage';
import { TokensPage } from './pages/TokensPage';
import { FeedPage } from './pages/FeedPage';
import { NotFound } from './components/StateViews';

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
    default:
      return <NotFound />;
  }
}

function SiteHeader({ route }: { route: Route }) {
  const session = useSession();
  const current = (name: Route['name']) => (route.name === name ? 'page' : undefined);
  return (
    <header class="site-header">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <div class="site-header-inner">
        <a class="brand" href="/" aria-label="Andecha, explore designs">
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
          <span>Andecha</span>
        </a>
        <nav aria-label="Main" class="site-nav">
          <a href="/" aria-current={current('explore')}>
            Explore
          </a>
          <a href="/workshops" aria-current={current('workshops') ?? current('workshop')}>
            Workshops
          </a>
          <a href="/publish" aria-current={current('publish')}>
            Publish
          </a>
          {session.token && (
            <>
              <a href="/feed" aria-current={current('feed')}>
                My feed
              </a>
              <a href="/reviews" aria-current={current('reviews')}>
                Reviews
              </a>
            </>
          )}
        </nav>
        <div class="site-account">
          {session.token ? (
            <>
              <a href="/settings/tokens" aria-current={current('tokens')} title="API tokens">
                @{session.handle}
              </a>
              <button type="button" class="button button-quiet button-small" onClick={() => void signOutAndRevoke()}>
                Sign out
              </button>
            </>
          ) : (
            <>
              <a href="/login" aria-current={current('login')}>
                Sign in
              </a>
              <a class="button button-small" href="/register" aria-current={current('register')}>
                Join
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
          Andecha — designs shared in common, built together. <a href="/api/openapi.json">API</a>
        </p>
      </footer>
    </>
  );
}
