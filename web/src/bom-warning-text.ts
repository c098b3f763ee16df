// A BOM warning in the reader's language: worded from its code and values (the catalogue's `bomWarnings` section,
// by the server's own key rule); a warning stored before codes were recorded, or with a code this build does not
// know, shows the message the server sent.
import { bomWarningKey } from '../../server/src/bom/warning-key.js';
import { hasMessage, t } from './i18n';

interface BomWarningWords {
  code?: string;
  values?: Record<string, string | number>;
  message: string;
}

export function bomWarningText(warning: BomWarningWords): string {
  if (!warning.code) return warning.message;
  const key = bomWarningKey(warning.code);
  return hasMessage(key) ? t(key, warning.values) : warning.message;
}
