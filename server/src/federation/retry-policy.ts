// How long and how often a delivery to another instance is tried again. A workshop's instance may be offline for
// days (or the instance it sends to may be): attempts double from 1 s up to a ceiling, so a peer that comes back is
// reached within that ceiling, and a delivery is given up (marked failed, still listed) only after the whole window.
import { createExponentialBackoffPolicy, type RetryPolicy } from '@fedify/fedify';

export interface DeliveryRetryOptions {
  /** how long after the first attempt a delivery is still tried again */
  retryForMs: number;
  /** the longest pause between two attempts */
  maxDelayMs: number;
}

const initialDelayMs = 1000;
// past this many doublings every pause is the ceiling; a larger power overflows Temporal's durations
const maxDoublings = 40;

/** Fedify's exponential backoff (with its jitter), capped at maxDelayMs, for retryForMs after the first attempt. */
export function deliveryRetryPolicy(options: DeliveryRetryOptions): RetryPolicy {
  const backoff = createExponentialBackoffPolicy({
    maxAttempts: Number.POSITIVE_INFINITY,
    initialDelay: { milliseconds: initialDelayMs },
    maxDelay: { milliseconds: options.maxDelayMs },
  });
  return (context) =>
    context.elapsedTime.total('millisecond') >= options.retryForMs
      ? null
      : backoff({ ...context, attempts: Math.min(context.attempts, maxDoublings) });
}

/** The fewest attempts a delivery gets over the window when every one fails (jitter only lengthens pauses). */
export function fewestAttempts(options: DeliveryRetryOptions): number {
  let elapsed = 0;
  let attempts = 1;
  while (elapsed < options.retryForMs) {
    elapsed += Math.min(options.maxDelayMs, 2 * initialDelayMs * 2 ** Math.min(attempts - 1, maxDoublings));
    attempts++;
  }
  return attempts;
}
