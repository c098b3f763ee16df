// A BOM line's making process in the packet's language: the vocabulary's names from the catalogue (packet section),
// free text a maker typed as written.
import { processKey } from '../bom/process-keys.js';
import type { Translate } from '../locales/translate.js';

/** "soldadura" for `welding` in a Spanish packet; a process outside the vocabulary as written. */
export function processName(t: Translate, process: string): string {
  const key = processKey(process);
  return key ? t(key) : process;
}
