// BOMs uploaded as JSON ({lines:[…]} per schemas/bom.schema.json, or a bare array): checked and normalised.
import { resolveCurrency } from './currency.js';
import { designatorWarnings, readDesignators } from './designators.js';
import type { BomLine, BomWarning, BomWording, Substitute, Supplier } from './model.js';
import { parseMoney } from './money.js';
import { parseAttrition } from './numbers.js';
import { normaliseProcess } from './processes.js';
import { amountUnreadable, parseQuantity, quantityCountedAsOne } from './quantity.js';
import { normaliseUnit } from './units.js';
import { numberPositions } from './tree.js';
import { BomTooDeepError, maxBomDepth } from './unreadable.js';

const STYLE = { decimalComma: false };
const TEXT_FIELDS = [
  'partNumber',
  'mpn',
  'description',
  'value',
  'footprint',
  'manufacturer',
  'material',
  'filePath',
  'notes',
] as const;
const KNOWN_FIELDS = new Set([
  'position',
  'designators',
  // the field's name before designators, still read so older JSON exports import unchanged
  'refdes',
  'partNumber',
  'mpn',
  'name',
  'description',
  'value',
  'footprint',
  'quantity',
  'unit',
  'unitCost',
  'currency',
  'suppliers',
  'manufacturer',
  'material',
  'process',
  'filePath',
  'notes',
  'optional',
  'fitted',
  // before fitted: dnf true is fitted false
  'dnf',
  'packSize',
  'minOrder',
  'attrition',
  'cutLength',
  'substitutes',
  'children',
]);

export interface JsonBom {
  readonly lines: BomLine[];
  readonly mapping: Record<string, string>;
}

/** Undefined when `text` is not a JSON BOM at all (the caller then reads it as a table). */
export function readJsonBom(text: string, warnings: BomWarning[]): JsonBom | undefined {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  let document: unknown;
  try {
    document = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  const list = Array.isArray(document) ? document : (document as { lines?: unknown } | null)?.lines;
  if (!Array.isArray(list)) return undefined;
  const reader = new JsonLineReader(warnings);
  const lines = list.map((item, i) => reader.read(item, String(i + 1)));
  if (reader.generatedPositions) numberPositions(lines, '');
  const mapping: Record<string, string> = {};
  for (const field of reader.seenFields) mapping[field] = field;
  return { lines, mapping };
}

class JsonLineReader {
  private ordinal = 0;
  generatedPositions = false;
  readonly seenFields = new Set<string>();
  private readonly warnings: BomWarning[];

  constructor(warnings: BomWarning[]) {
    this.warnings = warnings;
  }

  read(item: unknown, fallbackPosition: string, depth = 1): BomLine {
    const ordinal = ++this.ordinal;
    // before recursing: 20,000 nested levels would overflow the stack
    if (depth > maxBomDepth) throw new BomTooDeepError(ordinal, fallbackPosition);
    const source = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    if (typeof item !== 'object' || item === null)
      this.warn(ordinal, '', String(item), { code: 'json-line-not-object', message: 'a BOM line must be an object' });
    for (const key of Object.keys(source)) {
      if (KNOWN_FIELDS.has(key)) this.seenFields.add(key);
      else this.warn(ordinal, key, '', { code: 'json-unknown-field', message: 'unknown field ignored' });
    }
    const text = (field: string): string | undefined => {
      const value = source[field];
      if (value === undefined || value === null) return undefined;
      if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
      if (typeof value === 'number') return String(value);
      this.warn(ordinal, field, JSON.stringify(value), { code: 'json-expected-text', message: 'expected text' });
      return undefined;
    };
    let position = text('position');
    if (position === undefined) {
      position = fallbackPosition;
      this.generatedPositions = true;
    }
    const line: BomLine = { position, name: '', quantity: '1', unit: 'pcs' };
    const name = text('name') ?? text('description') ?? text('partNumber') ?? text('mpn');
    if (name === undefined)
      this.warn(ordinal, 'name', '', {
        code: 'line-unnamed',
        values: { name: `Line ${ordinal}` },
        message: `no name; named "Line ${ordinal}"`,
      });
    line.name = name ?? `Line ${ordinal}`;
    for (const field of TEXT_FIELDS) {
      const value = text(field);
      if (value !== undefined && !(field === 'description' && value === line.name && text('name') === undefined))
        line[field] = value;
    }
    this.readQuantity(line, source, ordinal);
    this.readCost(line, ordinal, text('unitCost'), text('currency'));
    const process = text('process');
    if (process !== undefined) {
      const known = normaliseProcess(process);
      if (known) line.process = known;
      else
        this.warn(ordinal, 'process', process, {
          code: 'process-unknown-ignored',
          message: 'not a process of the vocabulary; ignored',
        });
    }
    for (const flag of ['optional', 'dnf', 'fitted'] as const) {
      const value = source[flag];
      if (value !== undefined && typeof value !== 'boolean')
        this.warn(ordinal, flag, JSON.stringify(value), {
          code: 'json-expected-boolean',
          message: 'expected true or false',
        });
    }
    if (source.optional === true) line.optional = true;
    // Only the unfitted say so: fitted true is the default, left out so the checksum matches the CSV's.
    if (source.fitted === false || source.dnf === true) line.fitted = false;
    for (const field of ['packSize', 'minOrder', 'cutLength'] as const) {
      const value = text(field);
      if (value === undefined) continue;
      const reading = parseQuantity(value, STYLE);
      if ('error' in reading) this.warn(ordinal, field, value, amountUnreadable(reading.reason));
      else line[field] = reading.quantity;
    }
    const attrition = text('attrition');
    if (attrition !== undefined) {
      const value = parseAttrition(attrition, STYLE);
      if (value === undefined)
        this.warn(ordinal, 'attrition', attrition, {
          code: 'attrition-unreadable',
          message: 'expected a loss such as 0.05',
        });
      else line.attrition = value;
    }
    const designators = source.designators ?? source.refdes;
    const designatorText = Array.isArray(designators)
      ? designators.map(String).join(',')
      : typeof designators === 'string'
        ? designators
        : '';
    const reading = readDesignators(designatorText);
    if (reading.designators.length > 0) line.designators = reading.designators;
    for (const { quantity, ...wording } of designatorWarnings(reading, line, true))
      this.warn(ordinal, quantity ? 'quantity' : 'designators', designatorText, wording);
    const suppliers = this.objects<Supplier>(source.suppliers, ordinal, 'suppliers', ['name', 'partNumber', 'url']);
    if (suppliers.length > 0) line.suppliers = suppliers;
    const substitutes = this.objects<Substitute>(source.substitutes, ordinal, 'substitutes', [
      'name',
      'partNumber',
      'mpn',
      'manufacturer',
      'material',
      'supplier',
    ]);
    if (substitutes.length > 0) line.substitutes = substitutes;
    const children = source.children;
    if (Array.isArray(children) && children.length > 0) {
      line.children = children.map((child, i) => this.read(child, `${position}.${i + 1}`, depth + 1));
    }
    return line;
  }

  private readQuantity(line: BomLine, source: Record<string, unknown>, ordinal: number): void {
    const raw = source.quantity;
    const unitText = typeof source.unit === 'string' ? source.unit : undefined;
    if (unitText !== undefined) line.unit = normaliseUnit(unitText);
    if (raw === undefined || raw === null || raw === '') {
      this.warn(ordinal, 'quantity', '', {
        code: 'quantity-missing',
        message: 'the quantity is missing; counted as 1',
      });
      return;
    }
    if (typeof raw !== 'number' && typeof raw !== 'string') {
      this.warn(ordinal, 'quantity', String(raw), {
        code: 'quantity-not-a-number',
        message: 'expected a number; counted as 1',
      });
      return;
    }
    const reading = parseQuantity(String(raw), STYLE);
    if ('error' in reading) {
      this.warn(ordinal, 'quantity', String(raw), quantityCountedAsOne(reading.reason));
      return;
    }
    line.quantity = reading.quantity;
    if (reading.unit !== undefined && unitText === undefined) line.unit = reading.unit;
  }

  private readCost(
    line: BomLine,
    ordinal: number,
    costText: string | undefined,
    currencyText: string | undefined,
  ): void {
    if (costText === undefined) return;
    const money = parseMoney(costText, STYLE);
    if (money === undefined) return;
    if ('error' in money) {
      this.warn(ordinal, 'unitCost', costText, money.error);
      return;
    }
    line.unitCost = money.amount;
    const currency = currencyText !== undefined ? resolveCurrency(currencyText) : money.currency;
    if (currencyText !== undefined && currency === undefined)
      this.warn(ordinal, 'currency', currencyText, {
        code: 'currency-unknown',
        message: 'not an ISO 4217 currency code',
      });
    if (currency) line.currency = currency;
  }

  private objects<T>(value: unknown, ordinal: number, field: string, keys: readonly string[]): T[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.warn(ordinal, field, JSON.stringify(value), { code: 'json-expected-list', message: 'expected a list' });
      return [];
    }
    const result: T[] = [];
    for (const entry of value) {
      const object = typeof entry === 'string' ? { name: entry } : entry;
      if (typeof object !== 'object' || object === null || typeof (object as { name?: unknown }).name !== 'string') {
        this.warn(ordinal, field, JSON.stringify(entry), {
          code: 'json-entry-unnamed',
          message: 'each entry needs a name',
        });
        continue;
      }
      const clean: Record<string, string> = {};
      for (const key of keys) {
        const text = (object as Record<string, unknown>)[key];
        if (typeof text === 'string' && text.trim() !== '') clean[key] = text.trim();
      }
      if (clean.name) result.push(clean as T);
    }
    return result;
  }

  private warn(line: number, column: string, value: string, wording: BomWording): void {
    this.warnings.push({ line, column, value, ...wording });
  }
}
