// The JSON Schemas of schemas/ as the web sees them (one source with the server), with fallbacks while one is missing.
import { decodeOrKeep } from './uri';
import { t } from './i18n';
export type JsonSchema = {
  $id?: string;
  $ref?: string;
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  examples?: unknown[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
  $defs?: Record<string, JsonSchema>;
  definitions?: Record<string, JsonSchema>;
};

// import.meta.glob resolves at build time and yields nothing for a schema not written yet, so the build never breaks.
const schemaModules = import.meta.glob<JsonSchema>('../../schemas/*.schema.json', { eager: true, import: 'default' });

export function findSchema(name: string): JsonSchema | undefined {
  const key = Object.keys(schemaModules).find((path) => path.endsWith(`/${name}.schema.json`));
  return key ? schemaModules[key] : undefined;
}

/** Used only while schemas/manifest.schema.json does not exist: the fields the publish contract names. */
export function fallbackManifestSchema(): JsonSchema {
  const spdxHint = t('schemas.spdxHint');
  return {
    type: 'object',
    required: ['version'],
    properties: {
      version: {
        type: 'string',
        title: t('schemas.version.title'),
        description: t('schemas.version.description'),
        pattern: '^\\d+\\.\\d+\\.\\d+',
      },
      title: { type: 'string', title: t('schemas.title') },
      summary: { type: 'string', title: t('schemas.summary') },
      changelog: {
        type: 'string',
        title: t('schemas.changelog.title'),
        description: t('schemas.changelog.description'),
        maxLength: 20000,
      },
      licenses: {
        type: 'object',
        title: t('schemas.licenses.title'),
        description: t('schemas.licenses.description'),
        properties: {
          hardware: { type: 'string', title: t('schemas.licenses.hardware'), description: spdxHint },
          documentation: {
            type: 'string',
            title: t('schemas.licenses.documentation'),
            description: t('schemas.licenses.documentationHint'),
          },
          software: {
            type: 'string',
            title: t('schemas.licenses.software'),
            description: t('schemas.licenses.softwareHint'),
          },
        },
      },
      readme: {
        type: 'string',
        title: t('schemas.readme.title'),
        description: t('schemas.readme.description'),
      },
    },
  };
}

export function manifestSchema(): JsonSchema {
  return findSchema('manifest') ?? fallbackManifestSchema();
}

function findSchemaById(id: string): JsonSchema | undefined {
  return Object.values(schemaModules).find(
    (schema) => schema.$id === id || schema.$id === `${id}#` || schema.$id?.endsWith(`/${id}`),
  );
}

function followPointer(schema: JsonSchema, pointer: string): JsonSchema | undefined {
  let node: unknown = schema;
  for (const part of pointer.split('/').filter(Boolean))
    node = (node as Record<string, unknown> | undefined)?.[decodeOrKeep(part.replace(/~1/g, '/').replace(/~0/g, '~'))];
  return node as JsonSchema | undefined;
}

/** Resolves `#/definitions/…` against the root schema and `other#/…` against the schema whose $id is `other`. */
export function resolveRef(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let current = schema;
  let base = root;
  for (let depth = 0; current.$ref && depth < 10; depth++) {
    const [id, pointer = ''] = current.$ref.split('#');
    const document = id ? findSchemaById(id) : base;
    const target = document ? followPointer(document, pointer) : undefined;
    const { $ref: _ignored, ...rest } = current;
    if (!target) return rest;
    if (document) base = document;
    current = { ...target, ...rest };
  }
  return current;
}

/** Keeps only the keys a strict schema object allows (the server refuses unknown fields in JSON bodies). */
export function allowedKeys(schema: JsonSchema | undefined): Set<string> | null {
  if (!schema?.properties) return null;
  return new Set(Object.keys(schema.properties));
}

/**
 * The making processes BOM lines and workshops share: the enum of schemas/bom-process.schema.json, which a server
 * test keeps equal to PROCESSES in server/src/bom/kernel/processes.ts.
 */
export function processes(): string[] {
  const found = findSchema('bom-process')?.enum;
  if (!found) throw new Error('schemas/bom-process.schema.json lists no process vocabulary');
  return found.map(String);
}
