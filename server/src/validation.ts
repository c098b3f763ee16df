// Request validation from the JSON Schemas: bodies strictly typed (no coercion, unknown fields refused),
// query strings and path parameters coerced from text, as URLs only carry text.
import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { loadSchemas } from './schemas.js';
import { msg, type Message } from './errors.js';
import { ajvOwnMessage } from './locales/ajv-messages.js';

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

/** A field's validation message, to render in the caller's locale; an unknown field is "not an allowed field". */
export function ajvMessage(v: ErrorObject): string | Message {
  if (v.keyword === 'additionalProperties') return msg('fields.notAllowed');
  return ajvOwnMessage(v);
}
