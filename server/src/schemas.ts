// Loads the JSON Schemas of schemas/ — the one source of truth for bodies, manifest and BOM.
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const schemasDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas');

export interface JsonSchema {
  $id: string;
  [key: string]: unknown;
}

let cache: JsonSchema[] | undefined;

export function loadSchemas(): JsonSchema[] {
  cache ??= readdirSync(schemasDir)
    .filter((f) => f.endsWith('.schema.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(schemasDir, f), 'utf8')) as JsonSchema);
  return cache;
}

export function schemaById(id: string): JsonSchema {
  const s = loadSchemas().find((x) => x.$id === id);
  if (!s) throw new Error(`no schema with $id "${id}" in schemas/`);
  return s;
}

const idRef = /^[a-z0-9-]+#$/;

/**
 * An OpenAPI document with every `{$ref: "id#"}` left by @fastify/swagger (inside query strings and
 * parameters it does not rewrite) pointing at `#/components/schemas/id`, where it publishes each schema
 * under its $id; without this, validators and clients resolve "id#" as a file beside the document.
 */
export function refsToComponents<T>(doc: T): T {
  if (Array.isArray(doc)) return doc.map((d) => refsToComponents(d)) as T;
  if (!doc || typeof doc !== 'object') return doc;
  return Object.fromEntries(
    Object.entries(doc).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' && idRef.test(v)
        ? `#/components/schemas/${v.slice(0, -1)}`
        : refsToComponents(v),
    ]),
  ) as T;
}

/** A schema with every `{$ref: "id#"}` replaced by the schema it names (for tools that cannot resolve ids). */
export function dereference(schema: unknown, seen: string[] = []): unknown {
  if (Array.isArray(schema)) return schema.map((s) => dereference(s, seen));
  if (!schema || typeof schema !== 'object') return schema;
  const obj = schema as Record<string, unknown>;
  if (typeof obj.$ref === 'string' && idRef.test(obj.$ref)) {
    const id = obj.$ref.slice(0, -1);
    if (seen.includes(id)) return {};
    const { $id: _id, ...rest } = schemaById(id);
    return dereference(rest, [...seen, id]);
  }
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, dereference(v, seen)]));
}

/** The reply schema of a 204: no body (published in OpenAPI as a response without content). */
export const noContentReply = { description: 'Done; no content', type: 'null' } as const;

/** The reply schema of a file answered as bytes (a download, an archive): its media types, no JSON schema. */
export const fileReply = (mediaType: string | string[], description: string) => ({
  description,
  content: Object.fromEntries(
    [mediaType].flat().map((type) => [type, { schema: { type: 'string', format: 'binary' } as const }]),
  ),
});

/** The reply schema of a route answering JSON by a schema of schemas/, or as text in other media types on request. */
export const jsonOrTextReply = (ref: string, textTypes: string[], description: string) => ({
  description,
  content: {
    'application/json': { schema: { $ref: ref } },
    ...Object.fromEntries(textTypes.map((type) => [type, { schema: { type: 'string' } as const }])),
  },
});

/** The reply schema of a Server-Sent Events stream: its media type, no JSON schema. */
export const eventStreamReply = (description: string) => ({
  description,
  content: { 'text/event-stream': { schema: { type: 'string' } as const } },
});
