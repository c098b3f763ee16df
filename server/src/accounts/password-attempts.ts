// One limiter for every request that checks a password (log in, delete the account): a guesser or an argon2 flood
// gets the same few attempts a minute per address, whichever route it aims at, so others' logins stay fast.
import type { FastifyRequest } from 'fastify';
import { AppError, msg } from '../errors.js';

const windowMs = 60_000;

export function passwordAttemptLimiter(perMinute: number) {
  const windows = new Map<string, { start: number; n: number }>();
  return async (req: FastifyRequest) => {
    if (perMinute <= 0) return;
    const now = Date.now();
    if (windows.size > 10_000) for (const [k, w] of windows) if (now - w.start >= windowMs) windows.delete(k);
    let w = windows.get(req.ip);
    if (!w || now - w.start >= windowMs) windows.set(req.ip, (w = { start: now, n: 0 }));
    if (++w.n > perMinute) {
      const wait = Math.max(1, Math.ceil((w.start + windowMs - now) / 1000));
      throw new AppError('too-many-requests', msg('tooManyRequests'), {
        headers: { 'retry-after': String(wait) },
      });
    }
  };
}
