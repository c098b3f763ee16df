// Public API of the BOM kernel: parse, view (scale, flatten, roll up), checksum, export, cut list, diff.
export type { BomLine, BomWarning, Substitute, Supplier } from './model.js';
export { PROCESSES, normaliseProcess, type Process } from './processes.js';
export { parseBom, mappingReport, BomUnreadableError, type ParsedBom, type MappingReportEntry } from './parse.js';
export {
  bomView,
  parseRates,
  type BomView,
  type BomViewLine,
  type BomViewOptions,
  type BomTotals,
  type BomViewWarning,
} from './view.js';
export { scaleBom, flattenBom } from './scale.js';
export { orderQuantity } from './order.js';
export { bomChecksum, canonicalBomJson } from './checksum.js';
export { exportBom, CHECKSUM_ROW_PREFIX, type ExportOptions, type ExportLine } from './export.js';
export {
  cutList,
  type CutList,
  type CutGroup,
  type CutListOptions,
  type Cut,
  type StockBar,
  type UnknownLengthLine,
} from './cutlist.js';
export { diffBom, type BomDiff, type ChangedLine, type DiffField, type DiffLine } from './diff.js';
export { normaliseUnit, convertQuantity, unitMeasure } from './units.js';
