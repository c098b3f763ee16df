// Handles that would collide with web or API routes, so nobody can own /api or /login as a profile.
export const reservedHandles = new Set([
  'api', 'admin', 'assets', 'docs', 'explore', 'healthz', 'login', 'logout', 'new', 'publish', 'readyz',
  'register', 'reviews', 'search', 'settings', 'static', 'workshops', 'about', 'help', 'me', 'builds',
  'parts', 'designs', 'tokens', 'import', 'export', 'events', 'jobs', 'favicon.ico', 'robots.txt', 'compare',
  'andecha', 'root', 'system', 'anonymous', 'deleted',
]);
