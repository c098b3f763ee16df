// Request validation from the JSON Schemas: bodies strictly typed (no coercion, unknown fields refused),
// query strings and path parameters coerced from text, as URLs only carry text.
import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { loadSchemas } from './schemas.js';
import { msg, type Message } from './errors.js';

function makeAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    removeAdditional: false,
    useDefaults: true,
    coerceTypes: coerce ? 'array' : false,
    strict: false,
  });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  ajv.addKeyword({ keyword: 'example' });
  for (const s of loadSchemas()) ajv.addSchema(s);
  return ajv;
}

export function requestValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const strict = makeAjv(false);
  const coercing = makeAjv(true);
  return ({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema as object);
}

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

/** A field's validation message, to render in the caller's locale; an unknown field is "not an allowed field". */
export function ajvMessage(v: ErrorObject): string | Message {
  if (v.keyword === 'additionalProperties') return msg('fields.notAllowed');
  const english = v.message ?? '';
  const key = ajvKey(v.keyword);
  if (!key) return english;
  const values = Object.fromEntries(
    Object.entries(v.params as Record<string, unknown>).filter(
      (e): e is [string, string | number] => typeof e[1] === 'string' || typeof e[1] === 'number',
    ),
  );
  return msg(key, values, english);
}
