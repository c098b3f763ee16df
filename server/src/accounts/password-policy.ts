// What a password must be beyond its length (the register schema's 8 to 256 characters): not one of the commonest
// passwords (a list shipped in this folder, no network) and not one character repeated, as OWASP ASVS V6.2 asks.
import { readFileSync } from 'node:fs';
import { AppError } from '../errors.js';

const commonPasswords = new Set(
  readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#')),
);

/** Throws a 400 saying what is wrong with the password, or returns. */
export function checkPasswordStrength(password: string): void {
  const refuse = (why: string) =>
    new AppError('validation', `/password ${why}`, { errors: [{ field: '/password', message: why }] });
  if (new Set(password).size === 1) throw refuse('is one character repeated; choose a longer phrase');
  if (commonPasswords.has(password.toLowerCase()))
    throw refuse('is one of the most common passwords, the first ones an attacker tries; choose another');
}
