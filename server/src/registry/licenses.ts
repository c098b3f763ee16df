// SPDX licence expressions: parsed with spdx-expression-parse, never by a hand-written grammar.
import parse from 'spdx-expression-parse';
import { AppError, type FieldErrorInput, msg } from '../errors.js';

export function isValidSpdx(expression: string): boolean {
  try {
    parse(expression);
    return true;
  } catch {
    return false;
  }
}

/** Throws a 400 listing every licence field that is not a valid SPDX expression. */
export function checkLicenses(licenses: object | undefined, at = '/licenses'): void {
  if (!licenses) return;
  const errors: FieldErrorInput[] = [];
  for (const [key, value] of Object.entries(licenses) as [string, string | undefined][]) {
    if (value !== undefined && !isValidSpdx(value))
      errors.push({
        field: `${at}/${key}`,
        value,
        message: msg('fields.spdx'),
      });
  }
  if (errors.length)
    throw new AppError(
      'validation',
      msg('registry.licence', { list: errors.map((e) => `${e.field} "${e.value}"`).join(', ') }),
      {
        errors,
      },
    );
}
