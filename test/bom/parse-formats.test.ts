// parseBom on the BOMs makers really upload: one fixture per tool or spreadsheet habit, made here.
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { BomUnreadableError, mappingReport, parseBom } from '../../server/src/bom/kernel/index.js';

const utf8 = (text: string) => Buffer.from(text, 'utf8');

describe('parseBom: spreadsheets', () => {
  it('reads a generic spreadsheet with synonyms, symbols in prices and a link', () => {
    const parsed = parseBom(
      utf8(
        'Item,Qty.,P/N,Price Each,Vendor,Link,Mfr,Remarks\nM8 nut,12 pcs,NUT-M8,$0.10,McMaster,https://www.mcmaster.com/94645A101,Bossard,zinc\n',
      ),
      'parts.csv',
    );
    expect(parsed.lines).toEqual([
      {
        position: '1',
        name: 'M8 nut',
        quantity: '12',
        unit: 'pcs',
        partNumber: 'NUT-M8',
        unitCost: '0.1',
        currency: 'USD',
        suppliers: [{ name: 'McMaster', url: 'https://www.mcmaster.com/94645A101' }],
        manufacturer: 'Bossard',
        notes: 'zinc',
      },
    ]);
    expect(parsed.mapping).toEqual({
      'Qty.': 'quantity',
      Item: 'name',
      'P/N': 'partNumber',
      'Price Each': 'unitCost',
      Vendor: 'supplier',
      Link: 'url',
      Mfr: 'manufacturer',
      Remarks: 'notes',
    });
    expect(parsed.warnings).toEqual([]);
  });

  it('reads semicolons with decimal commas and euro prices', () => {
    const parsed = parseBom(
      utf8('Bezeichnung;Menge;Einheit;Preis\nFlachstahl 40x5;1,5;m;4,00 €\nSchraube M6;1.000;Stk;1.234,56 EUR\n'),
      'stueckliste.csv',
    );
    expect(parsed.format).toBe('ssv');
    expect(parsed.lines).toEqual([
      { position: '1', name: 'Flachstahl 40x5', quantity: '1.5', unit: 'm', unitCost: '4', currency: 'EUR' },
      // A lone dot in a semicolon file is still a decimal mark: 1.000 reads as one.
      { position: '2', name: 'Schraube M6', quantity: '1', unit: 'pcs', unitCost: '1234.56', currency: 'EUR' },
    ]);
  });

  it('reads UTF-16 LE with a BOM as Excel writes "Unicode text"', () => {
    const text = 'Name\tQty\tUnit Price (EUR)\nRésistance 10k\t4\t0,02\n';
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]);
    const parsed = parseBom(bytes, 'bom.txt');
    expect(parsed.encoding).toBe('utf-16le');
    expect(parsed.format).toBe('tsv');
    expect(parsed.lines).toEqual([
      { position: '1', name: 'Résistance 10k', quantity: '4', unit: 'pcs', unitCost: '0.02', currency: 'EUR' },
    ]);
  });

  it('reads Windows-1252 bytes with é and €', () => {
    const bytes = iconv.encode('Désignation;Quantité;Prix\nTôle acier;2;12,50 €\n', 'windows-1252');
    const parsed = parseBom(bytes, 'nomenclature.csv');
    expect(parsed.encoding).toBe('windows-1252');
    expect(parsed.lines).toEqual([
      { position: '1', name: 'Tôle acier', quantity: '2', unit: 'pcs', unitCost: '12.5', currency: 'EUR' },
    ]);
    expect(parsed.mapping).toEqual({ Désignation: 'name', Quantité: 'quantity', Prix: 'unitCost' });
  });

  it('reads UTF-8 with a BOM', () => {
    const parsed = parseBom(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('Qty,Name\n2,Hinge\n')]));
    expect(parsed.encoding).toBe('utf-8-bom');
    expect(parsed.lines).toEqual([{ position: '1', name: 'Hinge', quantity: '2', unit: 'pcs' }]);
  });

  it('finds tabs in a file named .csv', () => {
    const parsed = parseBom(utf8('Part Number\tDescription\tQuantity\nBR-6205\tBearing 6205, sealed\t2\n'), 'bom.csv');
    expect(parsed.format).toBe('tsv');
    expect(parsed.lines).toEqual([
      { position: '1', partNumber: 'BR-6205', name: 'Bearing 6205, sealed', quantity: '2', unit: 'pcs' },
    ]);
  });

  it('skips a title block above the header and totals rows below, with warnings', () => {
    const csv = [
      'Hay press BOM,,,',
      'Revision C,,,',
      ',,,',
      'Part,Qty,Unit Price,Extended Price',
      'Bearing,2,$10.00,$20.00',
      'Shaft,1,$35.00,$35.00',
      ',,,$55.00',
      'Total,,,$55.00',
      '',
    ].join('\n');
    const parsed = parseBom(utf8(csv));
    expect(parsed.lines).toEqual([
      { position: '1', name: 'Bearing', quantity: '2', unit: 'pcs', unitCost: '10', currency: 'USD' },
      { position: '2', name: 'Shaft', quantity: '1', unit: 'pcs', unitCost: '35', currency: 'USD' },
    ]);
    expect(parsed.warnings).toEqual([
      {
        line: 1,
        column: '',
        value: 'Hay press BOM',
        code: 'preamble-skipped',
        message: 'title or preamble row above the header skipped',
      },
      {
        line: 2,
        column: '',
        value: 'Revision C',
        code: 'preamble-skipped',
        message: 'title or preamble row above the header skipped',
      },
      {
        line: 7,
        column: '',
        value: '$55.00',
        code: 'price-only-row-skipped',
        message: 'totals row (a price with no part and no quantity) skipped',
      },
      {
        line: 8,
        column: '',
        value: 'Total $55.00',
        code: 'totals-row-skipped',
        message: 'totals row below the table skipped',
      },
    ]);
  });

  it('keeps a line with an unreadable cell and says where', () => {
    const parsed = parseBom(utf8('Name,Qty,Unit Price\nGasket,a few,2.00\nHose,3,cheap\n'));
    expect(parsed.lines).toEqual([
      { position: '1', name: 'Gasket', quantity: '1', unit: 'pcs', unitCost: '2' },
      { position: '2', name: 'Hose', quantity: '3', unit: 'pcs' },
    ]);
    expect(parsed.warnings).toEqual([
      {
        line: 2,
        column: 'Qty',
        value: 'a few',
        code: 'quantity-unreadable',
        message: 'expected a quantity such as 4, 2.5 m or 3/4; counted as 1',
      },
      {
        line: 3,
        column: 'Unit Price',
        value: 'cheap',
        code: 'price-unreadable',
        message: 'expected a price such as 4.00, $4.00 or 4,00 €',
      },
    ]);
  });

  it('reads quantities with units and fractions', () => {
    const parsed = parseBom(
      utf8(
        'Name,Qty,Unit\nHose,2.5 m,\nPlywood,3/4,\nWashers,12 pcs,\nRope,1 1/2,m\nChain,1500 mm,m\nSteel,6.2,M\nEpoxy,1/3,kg\n',
      ),
    );
    expect(parsed.lines.map((line) => [line.name, line.quantity, line.unit])).toEqual([
      ['Hose', '2.5', 'm'],
      ['Plywood', '0.75', 'pcs'],
      ['Washers', '12', 'pcs'],
      ['Rope', '1.5', 'm'],
      ['Chain', '1.5', 'm'],
      ['Steel', '6.2', 'm'],
      ['Epoxy', '0.33333333333333333333', 'kg'],
    ]);
    expect(parsed.warnings).toEqual([
      {
        line: 8,
        column: 'Qty',
        value: '1/3',
        code: 'quantity-rounded',
        values: { fraction: '1/3', quantity: '0.33333333333333333333' },
        message: '1/3 rounded to 0.33333333333333333333',
      },
    ]);
  });

  it('takes the per-unit quantity and sends the package size to packSize', () => {
    const parsed = parseBom(utf8('Name,Qty per unit,Qty per package,MOQ,Attrition\nRivet,40,100,200,5%\n'));
    expect(parsed.lines).toEqual([
      {
        position: '1',
        name: 'Rivet',
        quantity: '40',
        unit: 'pcs',
        packSize: '100',
        minOrder: '200',
        attrition: '0.05',
      },
    ]);
  });

  it('reads currency codes before the amount and a currency column', () => {
    const parsed = parseBom(utf8('Name,Qty,Cost,Currency\nMotor,1,EUR 12,\nPump,1,45.5,gbp\nValve,2,"1,234.50",CHF\n'));
    expect(parsed.lines.map((line) => [line.name, line.unitCost, line.currency])).toEqual([
      ['Motor', '12', 'EUR'],
      ['Pump', '45.5', 'GBP'],
      ['Valve', '1234.5', 'CHF'],
    ]);
  });

  it('throws BomUnreadableError when no header is recognisable', () => {
    const bytes = utf8('hello,world\n1,2\n3,4\n');
    expect(() => parseBom(bytes)).toThrow(BomUnreadableError);
    try {
      parseBom(bytes);
    } catch (error) {
      expect((error as BomUnreadableError).errors).toEqual([
        {
          line: 1,
          column: '',
          value: 'hello,world',
          code: 'no-header-row',
          message: 'no recognisable header row: expected column names such as Qty, Part Number, Description',
        },
      ]);
    }
  });

  it('throws BomUnreadableError when there is no quantity column', () => {
    try {
      parseBom(utf8('Part Number,Description,Supplier\nA-1,Widget,Acme\n'));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(BomUnreadableError);
      expect((error as BomUnreadableError).errors).toEqual([
        {
          line: 1,
          column: '',
          value: 'Part Number,Description,Supplier',
          code: 'no-quantity-column',
          message: 'no quantity column: expected a column named Qty, Quantity, Amount or Count',
        },
      ]);
    }
  });

  it('reports every column with the field it fed', () => {
    const parsed = parseBom(utf8('Qty,Name,Colour\n1,Panel,red\n'));
    expect(mappingReport(parsed)).toEqual([
      { column: 'Qty', field: 'quantity' },
      { column: 'Name', field: 'name' },
      { column: 'Colour', field: null },
    ]);
  });
});

describe('parseBom: EDA and tool exports', () => {
  it('reads a KiCad BOM (Reference, Value, Footprint, Qty, DNP)', () => {
    const csv =
      '"Reference","Value","Footprint","Qty","DNP"\n"R1,R2","10k","Resistor_SMD:R_0603_1608Metric","2",""\n"C1","100n","Capacitor_SMD:C_0603_1608Metric","1","DNP"\n';
    const parsed = parseBom(utf8(csv));
    expect(parsed.lines).toEqual([
      {
        position: '1',
        name: '10k',
        quantity: '2',
        unit: 'pcs',
        value: '10k',
        footprint: 'Resistor_SMD:R_0603_1608Metric',
        designators: ['R1', 'R2'],
      },
      {
        position: '2',
        name: '100n',
        quantity: '1',
        unit: 'pcs',
        value: '100n',
        footprint: 'Capacitor_SMD:C_0603_1608Metric',
        designators: ['C1'],
        fitted: false,
      },
    ]);
  });

  it('reads an Altium BOM (Comment, Description, Designator, Quantity)', () => {
    const csv =
      'Comment,Description,Designator,Footprint,LibRef,Quantity\n"LM7805","Positive regulator 5 V","U1","TO-220","Regulator",1\n';
    const parsed = parseBom(utf8(csv));
    expect(parsed.lines).toEqual([
      {
        position: '1',
        name: 'LM7805',
        description: 'Positive regulator 5 V',
        quantity: '1',
        unit: 'pcs',
        value: 'LM7805',
        footprint: 'TO-220',
        designators: ['U1'],
      },
    ]);
  });

  it('reads an EasyEDA BOM (ID, Name, Designator, Quantity, Manufacturer Part, LCSC)', () => {
    const csv =
      'ID\tName\tDesignator\tFootprint\tQuantity\tManufacturer Part\tManufacturer\tSupplier\tSupplier Part\n1\t100nF\tC1,C2,C3\tC0603\t3\tCL10B104KB8NNNC\tSAMSUNG\tLCSC\tC1591\n';
    const parsed = parseBom(Buffer.from(csv, 'utf8'));
    expect(parsed.lines).toEqual([
      {
        position: '1',
        name: '100nF',
        quantity: '3',
        unit: 'pcs',
        footprint: 'C0603',
        designators: ['C1', 'C2', 'C3'],
        mpn: 'CL10B104KB8NNNC',
        manufacturer: 'SAMSUNG',
        suppliers: [{ name: 'LCSC', partNumber: 'C1591' }],
      },
    ]);
  });

  it('reads "Quantity Per PCB" and Do Not Place from EDA exports', () => {
    const parsed = parseBom(
      utf8('Designator,Comment,Quantity Per PCB,Do Not Place\nD1,LED red,1,yes\nD2,LED green,1,no\n'),
    );
    expect(parsed.lines.map((line) => [line.name, line.quantity, line.fitted ?? true])).toEqual([
      ['LED red', '1', false],
      ['LED green', '1', true],
    ]);
  });

  it('reads a Kitspace 1-click-bom with retailer columns', () => {
    const tsv =
      'References\tQty\tDescription\tManufacturer\tMPN\tDigikey\tMouser\tLCSC\tFarnell\tNewark\nR1 R2\t2\tRES 10k 0603\tYageo\tRC0603FR-0710KL\t311-10.0KHRCT-ND\t603-RC0603FR-0710KL\tC98220\t\t\n';
    const parsed = parseBom(utf8(tsv), '1-click-bom.tsv');
    expect(parsed.lines).toEqual([
      {
        position: '1',
        name: 'RES 10k 0603',
        quantity: '2',
        unit: 'pcs',
        designators: ['R1', 'R2'],
        mpn: 'RC0603FR-0710KL',
        manufacturer: 'Yageo',
        suppliers: [
          { name: 'Digikey', partNumber: '311-10.0KHRCT-ND' },
          { name: 'Mouser', partNumber: '603-RC0603FR-0710KL' },
          { name: 'LCSC', partNumber: 'C98220' },
        ],
      },
    ]);
    expect(parsed.mapping.Digikey).toBe('suppliers (Digikey)');
  });

  it('reads an OKH-LOSH sBoM (POS, NAME, UNITS, TYPE, REFERENCE)', () => {
    const csv =
      'POS,NAME,UNITS,TYPE,REFERENCE\n1,Frame,1,POSH,frame/\n1.1,Side plate,2,POSH,frame/side-plate.FCStd\n2,Screw M5x20,8,STD,ISO 4762 M5x20\n';
    const parsed = parseBom(utf8(csv));
    expect(parsed.lines).toEqual([
      {
        position: '1',
        name: 'Frame',
        quantity: '1',
        unit: 'pcs',
        filePath: 'frame/',
        notes: 'Type: POSH',
        children: [
          {
            position: '1.1',
            name: 'Side plate',
            quantity: '2',
            unit: 'pcs',
            filePath: 'frame/side-plate.FCStd',
            notes: 'Type: POSH',
          },
        ],
      },
      {
        position: '2',
        name: 'Screw M5x20',
        quantity: '8',
        unit: 'pcs',
        partNumber: 'ISO 4762 M5x20',
        notes: 'Type: STD',
      },
    ]);
  });

  it('reads an InvenTree BOM export (Part, Part_Name, IPN, Quantity, Reference, Note)', () => {
    const csv =
      'Part,Part_Name,IPN,Description,Quantity,Reference,Overage,Note\n17,Bracket,BRK-001,Steel bracket,4,,,powder coat black\n23,Resistor 1k,R-1K,,2,R3 R4,5%,\n';
    const parsed = parseBom(utf8(csv));
    expect(parsed.lines).toEqual([
      {
        position: '1',
        name: 'Bracket',
        description: 'Steel bracket',
        quantity: '4',
        unit: 'pcs',
        partNumber: 'BRK-001',
        notes: 'powder coat black',
      },
      {
        position: '2',
        name: 'Resistor 1k',
        quantity: '2',
        unit: 'pcs',
        partNumber: 'R-1K',
        designators: ['R3', 'R4'],
        attrition: '0.05',
      },
    ]);
    expect(mappingReport(parsed).find((entry) => entry.column === 'Part')).toEqual({ column: 'Part', field: null });
  });

  it('reads an Open Source Ecology wiki-style BOM (part, qty, unit price, extended price, supplier, link)', () => {
    const csv =
      'Part,Qty,Unit Price,Extended Price,Supplier,Link\n"Hydraulic motor, 10 cu in",2,$350.00,$700.00,Surplus Center,http://www.surpluscenter.com/item.asp?item=9-7375\nQuick coupler 1/2",8,$12.50,$90.00,Surplus Center,\n';
    const parsed = parseBom(utf8(csv));
    expect(parsed.lines).toEqual([
      {
        position: '1',
        name: 'Hydraulic motor, 10 cu in',
        quantity: '2',
        unit: 'pcs',
        unitCost: '350',
        currency: 'USD',
        suppliers: [{ name: 'Surplus Center', url: 'http://www.surpluscenter.com/item.asp?item=9-7375' }],
      },
      {
        position: '2',
        name: 'Quick coupler 1/2"',
        quantity: '8',
        unit: 'pcs',
        unitCost: '12.5',
        currency: 'USD',
        suppliers: [{ name: 'Surplus Center' }],
      },
    ]);
    expect(parsed.warnings).toEqual([
      {
        line: 3,
        column: 'Extended Price',
        value: '$90.00',
        code: 'extended-price-mismatch',
        values: { extended: '90', expected: '100' },
        message: 'extended price 90 is not quantity × unit price (100); the unit price is used',
      },
    ]);
  });
});

describe('parseBom: sub-assemblies', () => {
  const summary = (lines: ReturnType<typeof parseBom>['lines']): unknown[] =>
    lines.map((line) =>
      line.children ? [line.position, line.name, summary(line.children)] : [line.position, line.name],
    );

  it('builds the tree from dotted levels', () => {
    const parsed = parseBom(utf8('Level,Name,Qty\n1,Frame,1\n1.1,Tube,4\n1.1.1,End cap,2\n1.2,Plate,1\n2,Wheel,4\n'));
    expect(summary(parsed.lines)).toEqual([
      [
        '1',
        'Frame',
        [
          ['1.1', 'Tube', [['1.1.1', 'End cap']]],
          ['1.2', 'Plate'],
        ],
      ],
      ['2', 'Wheel'],
    ]);
  });

  it('builds the tree from depth numbers (0/1/2)', () => {
    const parsed = parseBom(utf8('Level,Name,Qty\n0,Frame,1\n1,Tube,4\n2,End cap,2\n1,Plate,1\n0,Wheel,4\n'));
    expect(summary(parsed.lines)).toEqual([
      [
        '1',
        'Frame',
        [
          ['1.1', 'Tube', [['1.1.1', 'End cap']]],
          ['1.2', 'Plate'],
        ],
      ],
      ['2', 'Wheel'],
    ]);
  });

  it('builds the tree from a parent column naming positions or part numbers', () => {
    const parsed = parseBom(
      utf8(
        'Part Number,Name,Qty,Parent\nASM-1,Frame,1,\nTB-1,Tube,4,ASM-1\nEC-1,End cap,2,TB-1\nWH-1,Wheel,4,\nPL-1,Plate,1,ASM-1\n',
      ),
    );
    expect(summary(parsed.lines)).toEqual([
      [
        '1',
        'Frame',
        [
          ['1.1', 'Tube', [['1.1.1', 'End cap']]],
          ['1.2', 'Plate'],
        ],
      ],
      ['2', 'Wheel'],
    ]);
  });

  it('reads nested JSON children and numbers their positions', () => {
    const json = JSON.stringify({
      lines: [
        {
          name: 'Frame',
          quantity: 1,
          children: [{ name: 'Tube', quantity: '6.2', unit: 'm', unitCost: '4.10', currency: 'USD' }],
        },
        { name: 'Wheel', quantity: 4, process: 'lathe' },
      ],
    });
    const parsed = parseBom(utf8(json), 'bom.json');
    expect(parsed.format).toBe('json');
    expect(parsed.lines).toEqual([
      {
        position: '1',
        name: 'Frame',
        quantity: '1',
        unit: 'pcs',
        children: [{ position: '1.1', name: 'Tube', quantity: '6.2', unit: 'm', unitCost: '4.1', currency: 'USD' }],
      },
      { position: '2', name: 'Wheel', quantity: '4', unit: 'pcs', process: 'lathe' },
    ]);
    expect(parsed.warnings).toEqual([]);
  });

  it('warns about JSON fields it does not know and values it cannot read', () => {
    const parsed = parseBom(utf8('[{"name":"Frame","quantity":"lots","colour":"red"}]'));
    expect(parsed.lines).toEqual([{ position: '1', name: 'Frame', quantity: '1', unit: 'pcs' }]);
    expect(parsed.warnings).toEqual([
      { line: 1, column: 'colour', value: '', code: 'json-unknown-field', message: 'unknown field ignored' },
      {
        line: 1,
        column: 'quantity',
        value: 'lots',
        code: 'quantity-unreadable',
        message: 'expected a quantity such as 4, 2.5 m or 3/4; counted as 1',
      },
    ]);
  });
});
