// Waiting in tests for what happens elsewhere (another instance, a worker, a browser page): poll, with a deadline.

/** Polls until check() returns something truthy (or fails after timeoutMs with what it last saw). */
export async function eventually<T>(
  check: () => Promise<T> | T,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
