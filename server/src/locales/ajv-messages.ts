// Ajv's messages in the caller's language, for the request validator and the domains that run Ajv themselves
// (manifests, build reports).
import type { ErrorObject } from 'ajv';
import { msg, type Message } from '../errors.js';

// Ajv's message per keyword as a message of the problems section: English stays Ajv's own wording, other locales
// read the catalogue's (ajv-i18n would fit, but no new package here); a keyword not listed stays English.
function ajvKey(keyword: string): string | undefined {
  const keys: Record<string, string> = {
    required: 'ajv.required',
    type: 'ajv.type',
    minLength: 'ajv.minLength',
    maxLength: 'ajv.maxLength',
    minItems: 'ajv.minItems',
    maxItems: 'ajv.maxItems',
    minProperties: 'ajv.minProperties',
    maxProperties: 'ajv.maxProperties',
    uniqueItems: 'ajv.uniqueItems',
    pattern: 'ajv.pattern',
    format: 'ajv.format',
    enum: 'ajv.enum',
    const: 'ajv.const',
    minimum: 'ajv.comparison',
    maximum: 'ajv.comparison',
    exclusiveMinimum: 'ajv.comparison',
    exclusiveMaximum: 'ajv.comparison',
    multipleOf: 'ajv.multipleOf',
    anyOf: 'ajv.anyOf',
    oneOf: 'ajv.oneOf',
    not: 'ajv.not',
    if: 'ajv.if',
  };
  return Object.hasOwn(keys, keyword) ? keys[keyword] : undefined;
}

/** Ajv's own message for a field (its English wording kept), to render in the caller's locale. */
export function ajvOwnMessage(v: ErrorObject, fallback = ''): string | Message {
  const english = v.message ?? fallback;
  const key = ajvKey(v.keyword);
  if (!key) return english;
  const values = Object.fromEntries(
    Object.entries(v.params as Record<string, unknown>).filter(
      (e): e is [string, string | number] => typeof e[1] === 'string' || typeof e[1] === 'number',
    ),
  );
  return msg(key, values, english);
}
