// SPDX licence expressions: parsed with spdx-expression-parse, never by a hand-written grammar.
import parse from 'spdx-expression-parse';
import { AppError, type FieldError } from '../errors.js';

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
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(licenses) as [string, string | undefined][]) {
    if (value !== undefined && !isValidSpdx(value))
      errors.push({
        field: `${at}/${key}`,
        value,
        message: 'is not a valid SPDX licence expression (e.g. CERN-OHL-S-2.0 or CC-BY-SA-4.0)',
      });
  }
  if (errors.length)
    throw new AppError('validation', `Invalid licence: ${errors.map((e) => `${e.field} "${e.value}"`).join(', ')}`, {
      errors,
    });
}
