// Column headers → BOM fields: the synonym table of the tools makers export from, and its resolution.
import { resolveCurrency } from './currency.js';

/**
 * What a header can mean. Most roles are BOM fields; a few are raw material the parser combines
 * (`item`, `value` and `comment` may become the name; `units` is the quantity in an OKH sBoM but
 * the unit of measure elsewhere; `fitted` and `dnf` are the same flag, one the inverse of the other;
 * `altMpn` is an alternate manufacturer part number, as is a second MPN column).
 */
export type ColumnRole =
  | 'position'
  | 'level'
  | 'parent'
  | 'quantity'
  | 'units'
  | 'packSize'
  | 'minOrder'
  | 'attrition'
  | 'partNumber'
  | 'mpn'
  | 'altMpn'
  | 'name'
  | 'description'
  | 'item'
  | 'part'
  | 'value'
  | 'comment'
  | 'unitCost'
  | 'extendedPrice'
  | 'currency'
  | 'supplier'
  | 'supplierPartNumber'
  | 'url'
  | 'manufacturer'
  | 'refdes'
  | 'notes'
  | 'material'
  | 'process'
  | 'filePath'
  | 'unit'
  | 'footprint'
  | 'dnf'
  | 'fitted'
  | 'optional'
  | 'cutLength'
  | 'orderQuantity'
  | 'lineCost'
  | 'type'
  | 'reference';

/** Header spellings per role, normalised as `normaliseHeader` does (lower case, no dots or colons). */
const SYNONYMS: Readonly<Record<ColumnRole, readonly string[]>> = {
  position: [
    'pos',
    'position',
    'pos no',
    'item no',
    'item number',
    'item #',
    'item nr',
    'no',
    'nr',
    '#',
    'line',
    'line no',
    'find number',
    'find no',
    'balloon',
    'index',
  ],
  level: [
    'level',
    'lvl',
    'indent',
    'indentation',
    'bom level',
    'depth',
    'hierarchy',
    'structure level',
    'ebene',
    'nivel',
    'niveau',
  ],
  parent: [
    'parent',
    'parent position',
    'parent pos',
    'parent part',
    'parent part number',
    'parent ipn',
    'parent item',
    'parent id',
    'assembly part number',
    'parent assembly',
  ],
  quantity: [
    'qty',
    'qnty',
    'quantity',
    'qty per',
    'qty per unit',
    'quantity per unit',
    'qty/unit',
    'quantity per pcb',
    'quantity per board',
    'qty per board',
    'qty per assembly',
    'quantity per assembly',
    'quantity per machine',
    'qty per machine',
    'qty needed',
    'quantity needed',
    'qty required',
    'quantity required',
    'qty req',
    'number needed',
    'amount',
    'count',
    'pcs',
    'number',
    'number of parts',
    'menge',
    'anzahl',
    'stuckzahl',
    'cantidad',
    'quantite',
    'qte',
    'quantita',
    'quantidade',
    'ilosc',
    'aantal',
  ],
  units: ['units'],
  packSize: [
    'pack size',
    'pack',
    'package size',
    'package quantity',
    'package qty',
    'pkg qty',
    'qty per pack',
    'quantity per pack',
    'qty per package',
    'quantity per package',
    'units per pack',
    'per pack',
    'pack qty',
    'pack quantity',
    'packaging unit',
    'multiple',
    'order multiple',
    'spq',
  ],
  minOrder: [
    'moq',
    'min order',
    'minimum order',
    'minimum order quantity',
    'min order qty',
    'min qty',
    'minimum quantity',
    'min order quantity',
  ],
  attrition: ['attrition', 'scrap', 'scrap rate', 'overage', 'waste', 'loss', 'spare', 'spares'],
  partNumber: [
    'part number',
    'part no',
    'part num',
    'part #',
    'part nr',
    'p/n',
    'pn',
    'sku',
    'ipn',
    'part ipn',
    'internal part number',
    'article number',
    'article no',
    'art no',
    'artikelnummer',
    'item code',
    'part code',
    'code',
    'reference number',
    'catalog number',
    'cat no',
    'order number',
    'partnumber',
    'part_number',
  ],
  mpn: [
    'mpn',
    'manufacturer part number',
    'manufacturer part no',
    'manufacturer part #',
    'manufacturer pn',
    'manufacturer p/n',
    'mfr part number',
    'mfr part no',
    'mfr part #',
    'mfr pn',
    'mfr p/n',
    'mfg part number',
    'mfg part #',
    'mfg pn',
    'manufacturer part',
    'manufacturer_part_number',
    'mfr no',
    'mfr #',
  ],
  altMpn: [
    'alt mpn',
    'alt mpns',
    'mpn alternates',
    'mpn alternate',
    'alternate mpn',
    'alternate mpns',
    'alternative mpn',
    'alternative mpns',
    'second source mpn',
    'alt manufacturer part number',
    'alternate manufacturer part number',
  ],
  name: [
    'name',
    'part name',
    'item name',
    'component',
    'component name',
    'title',
    'part_name',
    'designation',
    'bezeichnung',
    'benennung',
    'nombre',
    'nom',
    'designacion',
  ],
  description: [
    'description',
    'desc',
    'part description',
    'item description',
    'beschreibung',
    'descripcion',
    'details',
    // KiCad's legacy BOM: the library symbol (R, C, LED, ATMEGA328P-PU), the value being the name
    'cmp name',
  ],
  item: ['item', 'article', 'artikel'],
  part: ['part', 'parts', 'component part'],
  value: ['value', 'val'],
  comment: ['comment', 'comments'],
  unitCost: [
    'unit price',
    'price',
    'cost',
    'price each',
    'unit cost',
    'cost each',
    'price per unit',
    'cost per unit',
    'price/unit',
    'cost/unit',
    'each',
    'rate',
    'unit price excl vat',
    'preis',
    'einzelpreis',
    'precio',
    'precio unitario',
    'prix',
    'prix unitaire',
    'price per item',
    'unit_price',
  ],
  extendedPrice: [
    'extended price',
    'ext price',
    'extended cost',
    'ext cost',
    'total price',
    'total cost',
    'line total',
    'subtotal',
    'sub total',
    'total',
    'amount total',
    'gesamtpreis',
    'precio total',
    'prix total',
    'extended',
  ],
  currency: ['currency', 'curr', 'ccy', 'wahrung', 'moneda', 'devise'],
  supplier: [
    'supplier',
    'vendor',
    'distributor',
    'source',
    'seller',
    'shop',
    'store',
    'where to buy',
    'supplier name',
    'vendor name',
    'lieferant',
    'proveedor',
    'fournisseur',
    'supplier 1',
    'vendor 1',
  ],
  supplierPartNumber: [
    'supplier part number',
    'supplier part no',
    'supplier part #',
    'supplier pn',
    'supplier p/n',
    'supplier sku',
    'vendor part number',
    'vendor part no',
    'vendor part #',
    'vendor pn',
    'vendor sku',
    'distributor part number',
    'distributor pn',
    'order code',
    'spn',
    'supplier part',
    'vendor part',
    'supplier part no',
    'supplier 1 part number',
    'supplier_part_number',
  ],
  url: [
    'url',
    'link',
    'links',
    'web',
    'website',
    'product url',
    'product link',
    'supplier link',
    'supplier url',
    'vendor link',
    'vendor url',
    'buy link',
    'purchase link',
    'supplier 1 url',
    'href',
  ],
  manufacturer: [
    'manufacturer',
    'mfr',
    'mfg',
    'maker',
    'brand',
    'manufacturer name',
    'mfr name',
    'hersteller',
    'fabricante',
    'fabricant',
  ],
  refdes: [
    'reference',
    'references',
    'designator',
    'designators',
    'refdes',
    'ref des',
    'ref',
    'refs',
    'reference designator',
    'reference designators',
    'reference designator(s)',
    'designator(s)',
    'ref designator',
    'parts list',
  ],
  notes: ['notes', 'note', 'remarks', 'remark', 'bemerkung', 'anmerkung', 'notas', 'observaciones', 'remarques'],
  material: ['material', 'materials', 'material spec', 'werkstoff', 'stock material'],
  process: [
    'process',
    'processes',
    'manufacturing process',
    'fabrication',
    'fabrication process',
    'operation',
    'make process',
  ],
  filePath: [
    'file',
    'file path',
    'filepath',
    'cad file',
    'cad model',
    'model file',
    'drawing file',
    'source file',
    'stl',
    'step file',
  ],
  unit: ['unit', 'uom', 'unit of measure', 'units of measure', 'u/m', 'einheit', 'unidad', 'unite', 'measure'],
  footprint: ['footprint', 'package', 'case', 'case/package', 'pcb footprint'],
  dnf: [
    'dnf',
    'dnp',
    'do not fit',
    'do not place',
    'do not populate',
    'not fitted',
    'no fit',
    'exclude from bom',
    'excluded',
  ],
  fitted: ['fitted', 'populate', 'populated', 'mount', 'place', 'assembled'],
  optional: ['optional', 'is optional'],
  // A plain "Length" in a BOM is the length of one piece: a total would be the quantity in m.
  cutLength: [
    'cut length',
    'cut length mm',
    'cut len',
    'cut lengths',
    'length',
    'length mm',
    'len',
    'length per piece',
    'piece length',
    'cut',
    'cut size',
  ],
  orderQuantity: ['order qty', 'order quantity', 'to order', 'buy qty'],
  lineCost: ['line cost'],
  type: ['type', 'kind', 'part type'],
  reference: [],
};

/** Kitspace 1-click-bom retailer columns: the cell is that retailer's part number. */
const RETAILERS: Readonly<Record<string, string>> = {
  digikey: 'Digikey',
  'digi-key': 'Digikey',
  'digikey part number': 'Digikey',
  'digi-key part number': 'Digikey',
  'digikey pn': 'Digikey',
  mouser: 'Mouser',
  'mouser part number': 'Mouser',
  'mouser pn': 'Mouser',
  'mouser no': 'Mouser',
  lcsc: 'LCSC',
  'lcsc part #': 'LCSC',
  'lcsc part number': 'LCSC',
  'lcsc pn': 'LCSC',
  'jlcpcb part #': 'LCSC',
  'jlcpcb part number': 'LCSC',
  farnell: 'Farnell',
  'farnell part number': 'Farnell',
  newark: 'Newark',
  'newark part number': 'Newark',
  rs: 'RS',
  'rs components': 'RS',
  'rs part number': 'RS',
  tme: 'TME',
  arrow: 'Arrow',
  'arrow part number': 'Arrow',
  mcmaster: 'McMaster-Carr',
  'mcmaster-carr': 'McMaster-Carr',
  'mcmaster part number': 'McMaster-Carr',
  reichelt: 'Reichelt',
};

const ROLE_BY_HEADER: ReadonlyMap<string, ColumnRole> = (() => {
  const table = new Map<string, ColumnRole>();
  for (const [role, spellings] of Object.entries(SYNONYMS) as [ColumnRole, readonly string[]][]) {
    for (const spelling of spellings) if (!table.has(spelling)) table.set(spelling, role);
  }
  return table;
})();

export interface NormalisedHeader {
  /** Lower case, accents and punctuation folded: the key looked up in the synonym table. */
  readonly key: string;
  /** Currency named in the header ("Unit Price (EUR)", "Price €"), used when a cell names none. */
  readonly currency?: string;
  /** Unit named in the header ("Length (mm)"). */
  readonly unit?: string;
}

const BRACKETED = /[([]\s*([^)\]]*?)\s*[)\]]/g;

export function normaliseHeader(header: string): NormalisedHeader {
  let text = header
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim();
  let currency: string | undefined;
  let unit: string | undefined;
  text = text.replace(BRACKETED, (_whole, inner: string) => {
    const asCurrency = resolveCurrency(inner);
    if (asCurrency) currency = asCurrency;
    else if (/^(mm|cm|m|in|ft)$/.test(inner)) unit = inner;
    else return inner === 's' ? '' : ` ${inner} `;
    return ' ';
  });
  const trailingSymbol = /\s([$€£¥])$|^([$€£¥])\s/.exec(text);
  if (trailingSymbol) {
    currency = resolveCurrency(trailingSymbol[1] ?? trailingSymbol[2]!);
    text = text.replace(/\s[$€£¥]$|^[$€£¥]\s/, '');
  }
  const key = text
    .replace(/[._:*]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return { key, ...(currency ? { currency } : {}), ...(unit ? { unit } : {}) };
}

export type HeaderMeaning =
  | { readonly kind: 'role'; readonly role: ColumnRole }
  | { readonly kind: 'retailer'; readonly retailer: string }
  | {
      readonly kind: 'numbered';
      readonly group: 'supplier' | 'substitute';
      readonly n: number;
      readonly field: string;
    };

const NUMBERED =
  /^(supplier|vendor|substitute|alternative|alternate) (\d+)(?: (part number|pn|url|link|material|supplier|name|mpn|manufacturer))?$/;

/** What one header means on its own, before looking at the other headers. */
export function headerMeaning(key: string): HeaderMeaning | undefined {
  const role = ROLE_BY_HEADER.get(key) ?? ROLE_BY_HEADER.get(key.replace(/[#/-]/g, ' ').replace(/\s+/g, ' ').trim());
  if (role) return { kind: 'role', role };
  const retailer = RETAILERS[key];
  if (retailer) return { kind: 'retailer', retailer };
  const numbered = NUMBERED.exec(key);
  if (numbered) {
    const group = numbered[1] === 'supplier' || numbered[1] === 'vendor' ? 'supplier' : 'substitute';
    const field =
      {
        'part number': 'partNumber',
        pn: 'partNumber',
        url: 'url',
        link: 'url',
        material: 'material',
        supplier: 'supplier',
        name: 'name',
        mpn: 'mpn',
        manufacturer: 'manufacturer',
      }[numbered[3] ?? 'name'] ?? 'name';
    return { kind: 'numbered', group, n: Number(numbered[2]), field };
  }
  return undefined;
}
