// The typed API client: openapi-fetch over api-schema.ts (generated from /api/openapi.json), so a call's path,
// parameters, body and reply type are the server's schemas, checked when the web app is type-checked.
import createClient from 'openapi-fetch';
import type { paths } from './api-schema';
import { authHeaders, languageHeaders, problemFrom } from './api';

export const apiClient = createClient<paths>({ baseUrl: globalThis.location?.origin ?? '' });

apiClient.use({
  onRequest({ request }) {
    for (const [name, value] of Object.entries(languageHeaders())) request.headers.set(name, value);
    // signing in or up needs no session, and must work whatever token this browser still holds (a dead one)
    if (/^\/api\/auth\/(login|register)$/.test(new URL(request.url).pathname)) return request;
    for (const [name, value] of Object.entries(authHeaders())) request.headers.set(name, value);
    return request;
  },
  // a problem+json answer becomes an ApiError, as with api.ts: pages show one kind of error whichever client asked
  async onResponse({ response }) {
    if (!response.ok) throw await problemFrom(response.clone());
    return response;
  },
});

/** The reply of a call that answered 2xx (anything else threw an ApiError in onResponse). */
export async function replyOf<T>(call: Promise<{ data?: T; response: Response }>): Promise<T> {
  const { data } = await call;
  return data as T;
}
