// What a password must be beyond its length (the register schema's 8 to 256 characters): not one of the commonest
// passwords (a list shipped in this folder, no network) and not one character repeated, as OWASP ASVS V6.2 asks.
import { readFileSync } from 'node:fs';
import { AppError, msg, renderMessage, type Message } from '../errors.js';

const commonPasswords = new Set(
  readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#')),
);

/** Throws a 400 saying what is wrong with the password, or returns. */
export function checkPasswordStrength(password: string): void {
  const refuse = (why: Message) =>
    new AppError('validation', (locale) => `/password ${renderMessage(why, locale)}`, {
      errors: [{ field: '/password', message: why }],
    });
  if (new Set(password).size === 1) throw refuse(msg('fields.passwordRepeated'));
  if (commonPasswords.has(password.toLowerCase())) throw refuse(msg('fields.passwordCommon'));
}
