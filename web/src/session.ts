// Who is signed in: the API token and handle kept in localStorage, with a hook that re-renders on change.
import { useEffect, useState } from 'preact/hooks';

const tokenKey = 'andecha.token';
const handleKey = 'andecha.handle';
const listeners = new Set<() => void>();

export type Session = { token: string | null; handle: string | null };

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function readToken(): string | null {
  return storage()?.getItem(tokenKey) ?? null;
}

export function readSession(): Session {
  return { token: readToken(), handle: storage()?.getItem(handleKey) ?? null };
}

export function signIn(token: string, handle: string): void {
  storage()?.setItem(tokenKey, token);
  storage()?.setItem(handleKey, handle);
  listeners.forEach((notify) => notify());
}

export function signOut(): void {
  storage()?.removeItem(tokenKey);
  storage()?.removeItem(handleKey);
  listeners.forEach((notify) => notify());
}

/** Calls `listener` whenever someone signs in or out (in this tab or another); returns the unsubscribe. */
export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('storage', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', listener);
  };
}

export function useSession(): Session {
  const [session, setSession] = useState(readSession);
  useEffect(() => onSessionChange(() => setSession(readSession())), []);
  return session;
}
