// The version manifest: lenient (unknown fields kept) but its known fields must have the right types.
import { Ajv } from 'ajv';
import semver from 'semver';
import { AppError, composed, fieldList, msg } from '../errors.js';
import { ajvOwnMessage } from '../locales/ajv-messages.js';
import { loadSchemas } from '../schemas.js';

let validator: ReturnType<Ajv['compile']> | undefined;

function compile() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  for (const s of loadSchemas()) ajv.addSchema(s);
  return ajv.getSchema('manifest')!;
}

/** Returns the manifest object or throws 400 listing each failing field; the version must be semver. */
export function validateManifest(manifest: unknown): Record<string, unknown> {
  validator ??= compile();
  if (!validator(manifest)) {
    const errors = (validator.errors ?? []).map((e) => ({
      field: `/manifest${e.instancePath}`,
      message: ajvOwnMessage(e, 'is invalid'),
    }));
    throw new AppError('bad-manifest', composed('registry.manifestInvalid', { why: fieldList(errors) }), { errors });
  }
  const m = manifest as Record<string, unknown>;
  if (!semver.valid(String(m.version))) {
    throw new AppError('bad-version', msg('registry.notSemver', { version: String(m.version) }), {
      errors: [{ field: '/manifest/version', value: m.version, message: msg('fields.notSemver') }],
    });
  }
  return m;
}
