// The normalised BOM line, as TypeScript: a hand-written mirror of schemas/bom-line.schema.json.
// Keep the two in step: test/bom/schema.test.ts validates parsed BOMs against the schema.
import type { Process } from './processes.js';

export interface Supplier {
  name: string;
  partNumber?: string;
  url?: string;
}

export interface Substitute {
  name: string;
  partNumber?: string;
  /** An alternate manufacturer part number for the same place on the board. */
  mpn?: string;
  manufacturer?: string;
  material?: string;
  supplier?: string;
}

/**
 * One line of a BOM. Decimals (quantity, money, pack sizes, attrition) are strings in canonical
 * form ("6.2", "0.35", never "6.20" or 6.2) so no value ever passes through a float.
 *
 * `quantity` is per one of the parent: a top-level line's quantity is per machine, a child's is
 * per one of its sub-assembly. bomView turns these into total needs for N machines.
 */
export interface BomLine {
  /** Dotted position in the tree ("1", "1.2") or the label the source file used. */
  position: string;
  /** Reference designators (R1, C4) from EDA exports, ranges expanded (R1-R3 → R1, R2, R3). */
  designators?: string[];
  partNumber?: string;
  /** Manufacturer part number. */
  mpn?: string;
  name: string;
  description?: string;
  /** Component value from an EDA export: "10k", "100nF". */
  value?: string;
  /** Footprint or package from an EDA export: "R_0603_1608Metric", "SOT-23". */
  footprint?: string;
  quantity: string;
  /** Canonical unit: "pcs", "m", "mm", "kg", "m2"…, or the source's own word ("roll") when unknown. */
  unit: string;
  /** Price of one `unit`, decimal string. */
  unitCost?: string;
  /** ISO 4217 code of unitCost. */
  currency?: string;
  suppliers?: Supplier[];
  manufacturer?: string;
  material?: string;
  process?: Process;
  /** The CAD file of a made part, a path inside the version. */
  filePath?: string;
  notes?: string;
  optional?: boolean;
  /** False: do not fit / do not place (DNP, DNF) — listed but not bought, built or costed. Absent: fitted. */
  fitted?: boolean;
  /** Sold only in multiples of this many units. */
  packSize?: string;
  /** Minimum order quantity, in the line's unit. */
  minOrder?: string;
  /** Expected loss as a fraction ("0.05" = 5 %), added before rounding to packs. */
  attrition?: string;
  /** Length of one cut piece in millimetres, for stock sold by length (see cutlist.ts). */
  cutLength?: string;
  substitutes?: Substitute[];
  children?: BomLine[];
}

/** A problem found in the source, tied to where the maker can fix it. */
export interface BomWarning {
  /** 1-based line in the file (CSV/TSV); for JSON, the 1-based index of the BOM line in document order. */
  line: number;
  /** Column header (CSV/TSV) or field name (JSON); "" when the whole row is meant. */
  column: string;
  value: string;
  /** Stable kebab-case code: its sentence is `bomWarnings.<camelCase code>` in locales/<tag>.json. */
  code: string;
  /** The numbers and words that sentence needs. */
  values?: Record<string, string | number>;
  /** The sentence in English (what stored rows from before codes carry alone). */
  message: string;
}

/** What a warning or an unreadable reason says, without where: code, values, English sentence. */
export type BomWording = Pick<BomWarning, 'code' | 'values' | 'message'>;
