// Client-side routing for the web routes of DESIGN.md: URL → Route, history navigation, link interception.
import { useEffect, useState } from 'preact/hooks';
import { decodeOrKeep } from './uri';

export type Route =
  | { name: 'explore' }
  | { name: 'design'; owner: string; slug: string; version?: string }
  | { name: 'compare'; owner: string; slug: string }
  | { name: 'discussion'; owner: string; slug: string; id: string }
  | { name: 'board'; owner: string; slug: string; version: string; board: string }
  | { name: 'publish' }
  | { name: 'workshops' }
  | { name: 'workshop'; slug: string }
  | { name: 'reviews' }
  | { name: 'login' }
  | { name: 'register' }
  | { name: 'tokens' }
  | { name: 'feed' }
  | { name: 'outbox' }
  | { name: 'profile'; handle: string }
  | { name: 'profile-settings' }
  | { name: 'not-found' };

const fixedRoutes: Record<string, Route> = {
  '/': { name: 'explore' },
  '/publish': { name: 'publish' },
  '/workshops': { name: 'workshops' },
  '/reviews': { name: 'reviews' },
  '/login': { name: 'login' },
  '/register': { name: 'register' },
  '/settings/tokens': { name: 'tokens' },
  '/feed': { name: 'feed' },
  '/outbox': { name: 'outbox' },
  '/settings/profile': { name: 'profile-settings' },
};

export function matchRoute(pathname: string): Route {
  const clean = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  const fixed = fixedRoutes[clean];
  if (fixed) return fixed;
  let segments: string[];
  try {
    segments = clean.split('/').slice(1).map(decodeURIComponent);
  } catch {
    return { name: 'not-found' };
  }
  // a single segment that is no fixed route is a person: `/ana`, `/ana@a.example`
  if (segments.length === 1 && segments[0]) return { name: 'profile', handle: segments[0] };
  if (segments[0] === 'workshops' && segments.length === 2) return { name: 'workshop', slug: segments[1] };
  if (segments.length === 2) return { name: 'design', owner: segments[0], slug: segments[1] };
  if (segments.length === 3 && segments[2] === 'compare')
    return { name: 'compare', owner: segments[0], slug: segments[1] };
  if (segments.length === 3) return { name: 'design', owner: segments[0], slug: segments[1], version: segments[2] };
  if (segments.length === 4 && segments[2] === 'discussions')
    return { name: 'discussion', owner: segments[0], slug: segments[1], id: segments[3] };
  if (segments.length === 5 && segments[3] === 'boards')
    return { name: 'board', owner: segments[0], slug: segments[1], version: segments[2], board: segments[4] };
  return { name: 'not-found' };
}

export type Location = { pathname: string; search: URLSearchParams; hash: string };

function currentLocation(): Location {
  return {
    pathname: window.location.pathname,
    search: new URLSearchParams(window.location.search),
    hash: window.location.hash,
  };
}

const listeners = new Set<() => void>();

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  listeners.forEach((notify) => notify());
}

/** Replaces only the query string (filters, units, selected tabs) without a new history entry per keystroke. */
export function setSearchParams(
  params: Record<string, string | number | undefined | null>,
  options: { replace?: boolean } = { replace: true },
): void {
  const search = new URLSearchParams(window.location.search);
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') search.delete(key);
    else search.set(key, String(value));
  }
  const text = search.toString();
  navigate(`${window.location.pathname}${text ? `?${text}` : ''}${window.location.hash}`, options);
}

export function useLocation(): Location {
  const [location, setLocation] = useState(currentLocation);
  useEffect(() => {
    const update = () => setLocation(currentLocation());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return location;
}

/** Same-origin <a href> clicks become history navigations; downloads, new tabs and /api links stay normal. */
export function interceptLinkClicks(): void {
  document.addEventListener('click', (event) => {
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    )
      return;
    const anchor = (event.target as Element | null)?.closest?.('a');
    if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
    const url = new URL(anchor.href, window.location.href);
    if (url.origin !== window.location.origin || url.pathname.startsWith('/api/')) return;
    event.preventDefault();
    if (url.pathname === window.location.pathname && url.search === window.location.search && url.hash) {
      document.getElementById(decodeOrKeep(url.hash.slice(1)))?.scrollIntoView();
      return;
    }
    navigate(url.pathname + url.search + url.hash);
  });
}

export function designUrl(owner: string, slug: string, version?: string): string {
  const base = `/${encodeURIComponent(owner)}/${encodeURIComponent(slug)}`;
  return version ? `${base}/${encodeURIComponent(version)}` : base;
}

export function profileUrl(handle: string): string {
  return `/${encodeURIComponent(handle)}`;
}

/** A board's page: its id (a folder path) is one segment, its slashes encoded. */
export function boardUrl(owner: string, slug: string, version: string, board: string): string {
  return `${designUrl(owner, slug, version)}/boards/${encodeURIComponent(board)}`;
}
