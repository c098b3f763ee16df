// Password hashing (argon2id) and random bearer tokens stored only as their sha256.
import { hash, verify } from '@node-rs/argon2';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// argon2id (algorithm 2) with OWASP's recommended minimum: 19 MiB, 2 iterations.
const argonOptions = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, argonOptions);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// A hash of a password nobody has, verified when the login is unknown so both paths cost the same time.
let decoyHash: Promise<string> | undefined;
export const decoyPasswordHash = () => (decoyHash ??= hashPassword(randomBytes(16).toString('hex')));

/** A random password for an account nobody chose one for (sample accounts, an admin's reset): 120 bits. */
export const newPassword = () => randomBytes(15).toString('base64url');

export function newToken(prefix: 'ands' | 'andt'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
