// Every JSON reply of a test app checked against the reply schema its route declares for that status, before
// Fastify serializes it (fast-json-stringify drops a field the schema does not name, silently): a field the schema
// does not name fails, unless the schema says `additionalProperties: true` (a version's lenient manifest).
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { loadSchemas } from '../../server/src/schemas.js';

/** Keys whose subschemas describe a value of their own (not a condition or one branch of several). */
const valueKeys = new Set(['properties', 'patternProperties', 'items', 'prefixItems', 'additionalProperties', '$defs']);

/** The schema with every object that names its properties closed to others, unless it says otherwise. */
export function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (!schema || typeof schema !== 'object') return schema;
  const node = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'properties' || k === 'patternProperties' || k === '$defs')
      out[k] = Object.fromEntries(Object.entries(v as object).map(([name, s]) => [name, closeObjects(s)]));
    else out[k] = valueKeys.has(k) ? closeObjects(v) : v;
  }
  if (node.properties && !('additionalProperties' in node) && !('patternProperties' in node))
    out.additionalProperties = false;
  return out;
}

function replyAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  ajv.addKeyword({ keyword: 'example' });
  for (const s of loadSchemas()) ajv.addSchema(closeObjects(s) as object);
  return ajv;
}

/**
 * The reply schema a route declares for a status — the exact code, then its class (`2xx`), then `default` — and,
 * where it declares one per content type, for the reply's.
 */
function declaredSchema(response: Record<string, unknown>, status: number, contentType: string): unknown {
  const declared = (response[status] ?? response[`${String(status)[0]}xx`] ?? response.default) as
    { content?: Record<string, { schema: unknown }> } | undefined;
  if (!declared?.content) return declared;
  return declared.content[contentType.split(';')[0].trim()]?.schema;
}

export interface ReplyViolation {
  route: string;
  status: number;
  problem: string;
}

/**
 * A plugin (registered by createTestApp before any route) that records each JSON reply its route has no schema
 * for, or that its schema refuses; createTestApp's close() fails the test file when any was recorded.
 */
export function replyCheck(violations: ReplyViolation[]) {
  const ajv = replyAjv();
  const compiled = new WeakMap<object, ValidateFunction>();
  return fp(async (app: FastifyInstance) => {
    app.addHook('preSerialization', async (req, reply, payload) => {
      const response = req.routeOptions.schema?.response as Record<string, unknown> | undefined;
      if (!response) return payload; // the web app's files, the docs and the not-found handler
      const route = `${req.method} ${req.routeOptions.url}`;
      const status = reply.statusCode;
      const schema = declaredSchema(response, status, String(reply.getHeader('content-type') ?? 'application/json'));
      // a route that describes only its problem replies so far is checked on those alone
      if (status < 400 && !Object.keys(response).some((code) => !/^[45]/.test(code))) return payload;
      if (!schema || typeof schema !== 'object') {
        violations.push({ route, status, problem: 'the route declares no reply schema for this status' });
        return payload;
      }
      let validate = compiled.get(schema);
      if (!validate) {
        validate = ajv.compile(closeObjects(schema) as object);
        compiled.set(schema, validate);
      }
      // what the serializer will see: dates as strings, objects with toJSON as their JSON
      if (!validate(JSON.parse(JSON.stringify(payload))))
        violations.push({ route, status, problem: ajv.errorsText(validate.errors, { dataVar: 'reply' }) });
      return payload;
    });
  });
}
