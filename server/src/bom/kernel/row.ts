// One data row of a delimited BOM → one BomLine (or a reason to skip the row), with cell warnings.
import type { ColumnPlan, NumberedColumns } from './column-plan.js';
import { resolveCurrency } from './currency.js';
import { Dec, decimalToString } from './decimal.js';
import { designatorWarnings, readDesignators } from './designators.js';
import type { BomLine, BomWarning, BomWording, Substitute, Supplier } from './model.js';
import { parseMoney, type Money } from './money.js';
import { parseAttrition, type NumberStyle } from './numbers.js';
import { normaliseProcess } from './processes.js';
import { amountUnreadable, parseQuantity, quantityCountedAsOne } from './quantity.js';
import { convertQuantity, normaliseUnit } from './units.js';

/** Why a row gave no line; none means skip silently (a blank row). */
export interface SkippedRow {
  readonly skipped: BomWording | undefined;
}

const BLANK_ROW: SkippedRow = { skipped: undefined };
const TOTALS_ROW: SkippedRow = {
  skipped: { code: 'totals-row-skipped', message: 'totals row below the table skipped' },
};

const TOTAL_WORDS = new Set([
  'total',
  'totals',
  'sum',
  'grand total',
  'subtotal',
  'sub total',
  'sub-total',
  'total cost',
  'total price',
  'totals row',
  'gesamt',
  'summe',
  'gesamtsumme',
  'totaal',
  'totale',
  'suma',
  'somme',
]);
const TRUE_WORDS = new Set([
  'yes',
  'y',
  'x',
  'true',
  '1',
  '✓',
  '✔',
  'dnf',
  'dnp',
  'ja',
  'si',
  'sí',
  'oui',
  'do not fit',
  'do not place',
  'not fitted',
  'nf',
  'optional',
  'opt',
]);
const FALSE_WORDS = new Set(['no', 'n', 'false', '0', '', '-', 'nein', 'non', 'fitted', 'place']);
const DNF_VALUES = new Set(['dnf', 'dnp', 'do not fit', 'do not place', 'do not populate', 'not fitted', 'nf', 'n/f']);
const FORMULA_ESCAPED = /^'[=+\-@\t\r]/;
/** A file or folder of the version: no spaces, and a slash or a file extension. */
const PATH_LIKE = /^(?=[^\s]*(?:\/|\.[a-z0-9]{1,5}$))[^\s:]+$/i;

export class RowReader {
  private readonly plan: ColumnPlan;
  private readonly style: NumberStyle;
  private readonly warnings: BomWarning[];
  private line = 0;
  private cells: readonly string[] = [];
  /** Notes gathered while reading other cells (an unknown process, an sBoM URL). */
  private extraNotes: string[] = [];

  constructor(plan: ColumnPlan, style: NumberStyle, warnings: BomWarning[]) {
    this.plan = plan;
    this.style = style;
    this.warnings = warnings;
  }

  /** The row's line, or why it is not one. `structureOf`/`parentOf` then read its place in the tree. */
  read(cells: readonly string[], line: number): BomLine | SkippedRow {
    this.cells = cells;
    this.line = line;
    const { plan } = this;
    const single = plan.single;
    const quantityText = this.cell(plan.quantity);
    const name = this.cell(single.name);
    const partNumber = this.cell(single.partNumber);
    const designatorText = this.cell(single.refdes);

    if (plan.quantity === undefined) {
      if (this.cells.every((cell) => cell.trim() === '')) return BLANK_ROW;
      if (this.isTotalsRow(name, partNumber)) return TOTALS_ROW;
    } else if (quantityText === '') {
      const skip = this.blankQuantityRow(name, partNumber);
      if (skip) return skip;
    } else if (this.isTotalsRow(name, partNumber)) {
      return TOTALS_ROW;
    }

    const result: BomLine = { position: '', name: '', quantity: '1', unit: 'pcs' };
    const unitColumn = this.cell(single.unit);
    let unit = unitColumn === '' ? undefined : normaliseUnit(unitColumn);
    const designators = readDesignators(designatorText);
    if (plan.quantity === undefined) {
      // JLCPCB/EasyEDA placement BOMs have no quantity column: the designators are the count.
      if (designators.designators.length > 0) result.quantity = String(designators.designators.length);
      else
        this.warn(this.header(single.refdes), '', {
          code: 'designators-missing',
          message: 'no quantity column and no designators on this line; counted as 1',
        });
    } else if (quantityText === '') {
      this.warn(this.header(plan.quantity), quantityText, quantityCountedAsOne('empty'));
    } else {
      const reading = parseQuantity(quantityText, this.style);
      if ('error' in reading) {
        this.warn(this.header(plan.quantity), quantityText, quantityCountedAsOne(reading.reason));
      } else {
        result.quantity = reading.quantity;
        if (reading.note)
          this.warn(this.header(plan.quantity), quantityText, {
            code: 'quantity-rounded',
            values: { fraction: quantityText, quantity: reading.quantity },
            message: reading.note,
          });
        if (reading.unit !== undefined && unit !== undefined && reading.unit !== unit) {
          // "1500 mm" in a row whose unit column says m: keep the column's unit, convert the amount.
          const converted = convertQuantity(reading.quantity, reading.unit, unit);
          if (converted !== undefined) result.quantity = converted;
          else {
            this.warn(this.header(plan.quantity), quantityText, {
              code: 'unit-differs',
              values: { unit: reading.unit, columnUnit: unitColumn },
              message: `unit "${reading.unit}" differs from the unit column "${unitColumn}"; the cell's unit is used`,
            });
            unit = reading.unit;
          }
        } else if (reading.unit !== undefined) unit = reading.unit;
      }
    }
    if (unit !== undefined) result.unit = unit;

    const description = this.cell(single.description);
    const mpn = this.cell(single.mpn);
    let lineName = name;
    let lineDescription = description;
    if (lineName === '') {
      if (description !== '') {
        lineName = description;
        lineDescription = '';
      } else lineName = partNumber || mpn || designatorText;
      if (lineName === '') {
        lineName = `Line ${line}`;
        this.warn(this.header(single.name ?? single.description), '', {
          code: 'line-unnamed',
          values: { name: lineName },
          message: `no name, description or part number; named "${lineName}"`,
        });
      }
    }
    result.name = lineName;
    if (lineDescription !== '') result.description = lineDescription;
    if (partNumber !== '') result.partNumber = partNumber;
    if (mpn !== '') result.mpn = mpn;
    this.copyText(result, 'value', single.value);
    this.copyText(result, 'footprint', single.footprint);
    if (designators.designators.length > 0) result.designators = designators.designators;
    for (const { quantity, ...wording } of designatorWarnings(designators, result, plan.quantity !== undefined))
      this.warn(
        this.header(quantity ? plan.quantity : single.refdes),
        quantity ? quantityText : designatorText,
        wording,
      );
    if (DNF_VALUES.has(name.toLowerCase())) result.fitted = false;

    this.readCost(result);
    this.readSuppliers(result);
    this.copyText(result, 'manufacturer', single.manufacturer);
    this.copyText(result, 'material', single.material);
    this.copyText(result, 'filePath', single.filePath);
    this.readProcess(result);
    this.readFlags(result);
    this.readPackaging(result);
    this.readSubstitutes(result);
    this.readAlternates(result);
    this.readSbomReference(result);
    this.readNotes(result);
    return result;
  }

  /** Level or position cell of the row last read, undefined when empty. */
  structureOf(): string | undefined {
    const text = this.cell(this.plan.structure?.index);
    return text === '' ? undefined : text;
  }

  /** Parent cell of the row last read, undefined when empty. */
  parentOf(): string | undefined {
    const text = this.cell(this.plan.parent);
    return text === '' ? undefined : text;
  }

  /** A row with no quantity is a totals row, a section heading, or a line missing its quantity. */
  private blankQuantityRow(name: string, partNumber: string): SkippedRow | undefined {
    if (this.isTotalsRow(name, partNumber)) return TOTALS_ROW;
    const filled = this.cells.filter((cell) => cell.trim() !== '');
    if (filled.length === 0) return BLANK_ROW;
    const price = this.cell(this.plan.single.extendedPrice) || this.cell(this.plan.single.unitCost);
    if (name === '' && partNumber === '' && price !== '')
      return {
        skipped: {
          code: 'price-only-row-skipped',
          message: 'totals row (a price with no part and no quantity) skipped',
        },
      };
    if (filled.length === 1)
      return { skipped: { code: 'section-heading-skipped', message: 'section heading row skipped' } };
    return undefined;
  }

  private isTotalsRow(name: string, partNumber: string): boolean {
    if (isTotalWord(name) || isTotalWord(partNumber)) return true;
    for (let i = 0; i < this.cells.length && i < 3; i++) if (isTotalWord(this.cells[i]!.trimStart())) return true;
    return false;
  }

  private readCost(result: BomLine): void {
    const { single, priceCurrency } = this.plan;
    const priceText = this.cell(single.unitCost);
    const price = this.money(single.unitCost, priceText);
    const extendedText = this.cell(single.extendedPrice);
    const extended = this.money(single.extendedPrice, extendedText);
    const currencyText = this.cell(single.currency);
    let columnCurrency: string | undefined;
    if (currencyText !== '') {
      columnCurrency = resolveCurrency(currencyText);
      if (!columnCurrency)
        this.warn(this.header(single.currency), currencyText, {
          code: 'currency-unknown',
          message: 'not an ISO 4217 currency code',
        });
    }
    if (price) {
      result.unitCost = price.amount;
    } else if (extended && !priceText) {
      const quantity = new Dec(result.quantity);
      if (!quantity.isZero()) {
        const unitCost = new Dec(extended.amount).div(quantity);
        const exact = unitCost.sd() < 50;
        result.unitCost = decimalToString(exact ? unitCost : unitCost.toDecimalPlaces(10));
        if (!exact)
          this.warn(this.header(single.extendedPrice), extendedText, {
            code: 'unit-price-rounded',
            values: { unitCost: result.unitCost },
            message: `unit price derived from the extended price and rounded to ${result.unitCost}`,
          });
      }
    }
    const cellCurrency = price?.currency ?? extended?.currency;
    if (columnCurrency && cellCurrency && columnCurrency !== cellCurrency) {
      this.warn(this.header(single.unitCost), priceText, {
        code: 'currency-conflict',
        values: { priceCurrency: cellCurrency, columnCurrency },
        message: `the price says ${cellCurrency} but the currency column says ${columnCurrency}; ${cellCurrency} is used`,
      });
    }
    const currency = cellCurrency ?? columnCurrency ?? priceCurrency;
    if (currency && result.unitCost !== undefined) result.currency = currency;
    if (price && extended && !new Dec(result.quantity).isZero()) {
      const places = Math.max(new Dec(extended.amount).decimalPlaces(), 2);
      const expected = new Dec(result.quantity).times(price.amount);
      if (expected.minus(extended.amount).abs().gt(new Dec(10).pow(-places))) {
        this.warn(this.header(single.extendedPrice), extendedText, {
          code: 'extended-price-mismatch',
          values: { extended: extended.amount, expected: decimalToString(expected) },
          message: `extended price ${extended.amount} is not quantity × unit price (${decimalToString(expected)}); the unit price is used`,
        });
      }
    }
  }

  private money(index: number | undefined, text: string): Money | undefined {
    if (text === '') return undefined;
    const reading = parseMoney(text, this.style);
    if (reading === undefined) return undefined;
    if ('error' in reading) {
      this.warn(this.header(index), text, reading.error);
      return undefined;
    }
    return reading;
  }

  private readSuppliers(result: BomLine): void {
    const { single, retailers, extraSuppliers } = this.plan;
    const primary = this.supplier(
      this.cell(single.supplier),
      this.cell(single.supplierPartNumber),
      this.cell(single.url),
    );
    if (extraSuppliers.length === 0 && retailers.length === 0) {
      if (primary) result.suppliers = [primary];
      return;
    }
    const suppliers: Supplier[] = [];
    if (primary) suppliers.push(primary);
    for (const numbered of extraSuppliers) {
      const supplier = this.supplier(
        this.numberedCell(numbered, 'name'),
        this.numberedCell(numbered, 'partNumber'),
        this.numberedCell(numbered, 'url'),
      );
      if (supplier) suppliers.push(supplier);
    }
    for (const retailer of retailers) {
      const partNumber = this.cell(retailer.index);
      if (partNumber !== '') suppliers.push({ name: retailer.name, partNumber });
    }
    if (suppliers.length > 0) result.suppliers = suppliers;
  }

  private supplier(name: string, partNumber: string, url: string): Supplier | undefined {
    if (name === '' && partNumber === '' && url === '') return undefined;
    const supplier: Supplier = { name: name || hostOf(url) || 'unnamed supplier' };
    if (partNumber !== '') supplier.partNumber = partNumber;
    if (url !== '') supplier.url = url;
    return supplier;
  }

  private readSubstitutes(result: BomLine): void {
    const substitutes: Substitute[] = [];
    for (const numbered of this.plan.substitutes) {
      const name = this.numberedCell(numbered, 'name');
      const partNumber = this.numberedCell(numbered, 'partNumber');
      if (name === '' && partNumber === '') continue;
      const substitute: Substitute = { name: name || partNumber };
      if (partNumber !== '') substitute.partNumber = partNumber;
      const mpn = this.numberedCell(numbered, 'mpn');
      if (mpn !== '') substitute.mpn = mpn;
      const manufacturer = this.numberedCell(numbered, 'manufacturer');
      if (manufacturer !== '') substitute.manufacturer = manufacturer;
      const material = this.numberedCell(numbered, 'material');
      if (material !== '') substitute.material = material;
      const supplier = this.numberedCell(numbered, 'supplier');
      if (supplier !== '') substitute.supplier = supplier;
      substitutes.push(substitute);
    }
    if (substitutes.length > 0) result.substitutes = substitutes;
  }

  /** Alternate MPNs become substitutes: parts that may take the line's place, named by their MPN. */
  private readAlternates(result: BomLine): void {
    const substitutes = result.substitutes ?? [];
    for (const alternate of this.plan.alternates) {
      const manufacturer = this.cell(alternate.manufacturer);
      // "Alt MPN" cells may list several: "GRM188R71H104KA93D / CL10B104KB8NNNC"
      for (const mpn of this.cell(alternate.mpn).split(/\s*[,;/|]\s*/)) {
        if (mpn === '' || mpn === result.mpn || substitutes.some((substitute) => substitute.mpn === mpn)) continue;
        substitutes.push(manufacturer === '' ? { name: mpn, mpn } : { name: mpn, mpn, manufacturer });
      }
    }
    if (substitutes.length > 0) result.substitutes = substitutes;
  }

  private readProcess(result: BomLine): void {
    const text = this.cell(this.plan.single.process);
    if (text === '') return;
    const process = normaliseProcess(text);
    if (process) result.process = process;
    else
      this.warn(this.header(this.plan.single.process), text, {
        code: 'process-unknown-kept',
        message: 'not a process of the vocabulary (welding, laser-cut, lathe, …); kept in notes',
      });
    if (!process) this.extraNotes.push(`Process: ${text}`);
  }

  private readFlags(result: BomLine): void {
    const { single, fitted } = this.plan;
    // KiCad writes "DNP" in its DNP column for the unfitted and leaves it empty for the rest.
    if (this.flag(single.dnf) === true) result.fitted = false;
    if (this.flag(fitted) === false) result.fitted = false;
    if (this.flag(single.optional)) result.optional = true;
  }

  private flag(index: number | undefined): boolean | undefined {
    const text = this.cell(index);
    if (text === '') return undefined;
    const key = text.toLowerCase();
    if (TRUE_WORDS.has(key)) return true;
    if (FALSE_WORDS.has(key)) return false;
    this.warn(this.header(index), text, { code: 'flag-unreadable', message: 'expected yes or no' });
    return undefined;
  }

  private readPackaging(result: BomLine): void {
    const { single, cutLengthUnit } = this.plan;
    const packSize = this.amount(single.packSize, result.unit);
    if (packSize !== undefined) {
      if (packSize === '0')
        this.warn(this.header(single.packSize), this.cell(single.packSize), {
          code: 'pack-size-zero',
          message: 'a pack size of 0 is ignored',
        });
      else result.packSize = packSize;
    }
    const minOrder = this.amount(single.minOrder, result.unit);
    if (minOrder !== undefined) result.minOrder = minOrder;
    const attritionText = this.cell(single.attrition);
    if (attritionText !== '') {
      const attrition = parseAttrition(attritionText, this.style);
      if (attrition === undefined)
        this.warn(this.header(single.attrition), attritionText, {
          code: 'attrition-unreadable',
          message: 'expected a loss such as 5% or 0.05',
        });
      else result.attrition = attrition;
    }
    const cutText = this.cell(single.cutLength);
    if (cutText !== '') {
      const reading = parseQuantity(cutText, this.style);
      const millimetres =
        'error' in reading ? undefined : convertQuantity(reading.quantity, reading.unit ?? cutLengthUnit ?? 'mm', 'mm');
      if (millimetres === undefined)
        this.warn(this.header(single.cutLength), cutText, {
          code: 'cut-length-unreadable',
          message: 'expected a cut length such as 1550 mm',
        });
      else result.cutLength = millimetres;
    }
  }

  /** A pack size or minimum order, in the line's unit. */
  private amount(index: number | undefined, lineUnit: string): string | undefined {
    const text = this.cell(index);
    if (text === '') return undefined;
    const reading = parseQuantity(text, this.style);
    if ('error' in reading) {
      this.warn(this.header(index), text, amountUnreadable(reading.reason));
      return undefined;
    }
    if (reading.unit === undefined || reading.unit === lineUnit) return reading.quantity;
    const converted = convertQuantity(reading.quantity, reading.unit, lineUnit);
    if (converted === undefined && reading.unit !== 'pcs')
      this.warn(this.header(index), text, {
        code: 'amount-unit-mismatch',
        values: { unit: reading.unit, lineUnit },
        message: `unit "${reading.unit}" does not match the line's unit "${lineUnit}"; the number is used`,
      });
    return converted ?? reading.quantity;
  }

  private readSbomReference(result: BomLine): void {
    const text = this.cell(this.plan.sbomReference);
    if (text === '') return;
    // OKH sBoM: a made part (POSH) points at its files; a bought part or standard names itself.
    if (!/^https?:/i.test(text) && PATH_LIKE.test(text)) {
      if (result.filePath === undefined) result.filePath = text;
      return;
    }
    if (result.partNumber === undefined && !/^https?:/i.test(text)) {
      result.partNumber = text;
      return;
    }
    this.extraNotes.push(`Reference: ${text}`);
  }

  private readNotes(result: BomLine): void {
    if (this.plan.notes.length === 0 && this.extraNotes.length === 0) return;
    const parts: string[] = [];
    for (const column of this.plan.notes) {
      const text = this.cell(column.index);
      if (text !== '') parts.push(column.prefix + text);
    }
    if (this.extraNotes.length > 0) {
      parts.push(...this.extraNotes);
      this.extraNotes = [];
    }
    if (parts.length > 0) result.notes = parts.join('; ');
  }

  private copyText(
    result: BomLine,
    field: 'manufacturer' | 'material' | 'filePath' | 'value' | 'footprint',
    index: number | undefined,
  ): void {
    const text = this.cell(index);
    if (text !== '') result[field] = text;
  }

  private numberedCell(numbered: NumberedColumns, field: string): string {
    return this.cell(numbered.fields[field]);
  }

  private cell(index: number | undefined): string {
    if (index === undefined) return '';
    const value = this.cells[index];
    if (value === undefined) return '';
    // exportBom escapes cells that a spreadsheet would run as a formula with a leading quote.
    if (value.charCodeAt(0) === 39 && FORMULA_ESCAPED.test(value)) return value.slice(1).trim();
    return value.trim();
  }

  private header(index: number | undefined): string {
    return index === undefined ? '' : (this.plan.headers[index] ?? '').trim();
  }

  private warn(column: string, value: string, wording: BomWording): void {
    this.warnings.push({ line: this.line, column, value, ...wording });
  }
}

function isTotalWord(text: string): boolean {
  // Every totals word starts with t, s or g and is short: most cells are ruled out without a copy.
  const first = text.charCodeAt(0) | 0x20;
  if ((first !== 116 && first !== 115 && first !== 103) || text.length > 16) return false;
  return TOTAL_WORDS.has(
    text
      .trim()
      .toLowerCase()
      .replace(/[:.]+$/, ''),
  );
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return undefined;
  }
}
