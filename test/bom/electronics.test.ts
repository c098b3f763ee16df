// Electronic BOMs as EDA tools export them: designators (ranges expanded and counted), value, footprint, MPN and
// alternates, DNP/DNF; and what scaling, costs and export do with them. Fixtures written here from the tools' headers.
import { describe, expect, it } from 'vitest';
import { BomUnreadableError, bomView, exportBom, parseBom } from '../../server/src/bom/kernel/index.js';
import { MAX_DESIGNATOR_RANGE, readDesignators } from '../../server/src/bom/kernel/designators.js';

const utf8 = (text: string) => Buffer.from(text, 'utf8');

describe('readDesignators', () => {
  it('reads lists with any separator and expands ranges, with a hyphen, an en dash or spaces around the dash', () => {
    expect(readDesignators('R1, R2,R5').designators).toEqual(['R1', 'R2', 'R5']);
    expect(readDesignators('R1-R8').designators).toEqual(['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8']);
    expect(readDesignators('R1–R3').designators).toEqual(['R1', 'R2', 'R3']);
    expect(readDesignators('C4 - C6; C10').designators).toEqual(['C4', 'C5', 'C6', 'C10']);
    expect(readDesignators('LED3-5').designators).toEqual(['LED3', 'LED4', 'LED5']);
    expect(readDesignators('R3-R1').designators).toEqual(['R3', 'R2', 'R1']);
  });

  it('keeps what is not a range as written: different prefixes, a hierarchical unit, leading zeros', () => {
    expect(readDesignators('R1-C3').designators).toEqual(['R1-C3']);
    expect(readDesignators('U1-A U1-B').designators).toEqual(['U1-A', 'U1-B']);
    expect(readDesignators('R01-R03').designators).toEqual(['R01-R03']);
  });

  it('names repeats once and refuses to expand a range past the limit', () => {
    expect(readDesignators('R1-R3, R2, R2')).toEqual({
      designators: ['R1', 'R2', 'R3'],
      repeated: ['R2'],
      tooLong: [],
    });
    const huge = `R1-R${MAX_DESIGNATOR_RANGE + 1}`;
    expect(readDesignators(huge)).toEqual({ designators: [huge], repeated: [], tooLong: [huge] });
    expect(readDesignators(`R1-R${MAX_DESIGNATOR_RANGE}`).designators).toHaveLength(MAX_DESIGNATOR_RANGE);
  });
});

describe('parseBom: electronic BOMs', () => {
  it('reads a KiCad BOM (Reference, Value, Footprint, Qty, DNP, MPN, Manufacturer) with a range', () => {
    const csv =
      '"Reference","Value","Footprint","Qty","DNP","MPN","Manufacturer"\n' +
      '"R1-R8","10k","Resistor_SMD:R_0603_1608Metric","8","","RC0603FR-0710KL","Yageo"\n' +
      '"C1","100n","Capacitor_SMD:C_0603_1608Metric","1","DNP","GRM188R71H104KA93D","Murata"\n';
    const parsed = parseBom(utf8(csv), 'board.csv');
    expect(parsed.warnings).toEqual([]);
    expect(parsed.lines).toEqual([
      {
        position: '1',
        name: '10k',
        value: '10k',
        footprint: 'Resistor_SMD:R_0603_1608Metric',
        quantity: '8',
        unit: 'pcs',
        designators: ['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8'],
        mpn: 'RC0603FR-0710KL',
        manufacturer: 'Yageo',
      },
      {
        position: '2',
        name: '100n',
        value: '100n',
        footprint: 'Capacitor_SMD:C_0603_1608Metric',
        quantity: '1',
        unit: 'pcs',
        designators: ['C1'],
        mpn: 'GRM188R71H104KA93D',
        manufacturer: 'Murata',
        fitted: false,
      },
    ]);
  });

  it('reads a KiCad legacy BOM (Ref, Qnty, Value, Cmp name, Footprint)', () => {
    const csv = '"Ref","Qnty","Value","Cmp name","Footprint"\n"D1 D2 ","2","red","LED","LED_SMD:LED_0805_2012Metric"\n';
    const parsed = parseBom(utf8(csv));
    expect(parsed.warnings).toEqual([]);
    expect(parsed.lines).toEqual([
      {
        position: '1',
        name: 'red',
        description: 'LED',
        value: 'red',
        footprint: 'LED_SMD:LED_0805_2012Metric',
        quantity: '2',
        unit: 'pcs',
        designators: ['D1', 'D2'],
      },
    ]);
  });

  it('reads a 1-click-BOM whose second Manufacturer/MPN pair is an alternate', () => {
    const tsv =
      'References\tQty\tDescription\tManufacturer\tMPN\tManufacturer\tMPN\tDigikey\tMouser\n' +
      'C1, C2\t2\tCAP 100nF 0603\tMurata\tGRM188R71H104KA93D\tSamsung\tCL10B104KB8NNNC\t490-1532-1-ND\t81-GRM188R71H104KA93\n';
    const parsed = parseBom(utf8(tsv), 'kitspace.tsv');
    expect(parsed.warnings).toEqual([]);
    expect(parsed.lines[0]).toEqual({
      position: '1',
      name: 'CAP 100nF 0603',
      quantity: '2',
      unit: 'pcs',
      designators: ['C1', 'C2'],
      mpn: 'GRM188R71H104KA93D',
      manufacturer: 'Murata',
      suppliers: [
        { name: 'Digikey', partNumber: '490-1532-1-ND' },
        { name: 'Mouser', partNumber: '81-GRM188R71H104KA93' },
      ],
      substitutes: [{ name: 'CL10B104KB8NNNC', mpn: 'CL10B104KB8NNNC', manufacturer: 'Samsung' }],
    });
  });

  it('reads an "Alt MPN" column, several alternates in one cell', () => {
    const csv = 'Reference,Value,Qty,MPN,Alt MPN\nU1,LM1117-3.3,1,LM1117MPX-3.3,AMS1117-3.3 / LD1117S33TR\n';
    const [line] = parseBom(utf8(csv)).lines;
    expect(line!.substitutes).toEqual([
      { name: 'AMS1117-3.3', mpn: 'AMS1117-3.3' },
      { name: 'LD1117S33TR', mpn: 'LD1117S33TR' },
    ]);
  });

  it('counts the designators of a JLCPCB/EasyEDA BOM, which has no quantity column', () => {
    const csv =
      'Comment,Designator,Footprint,LCSC Part #\n' +
      '100nF,"C1,C2,C3,C7",C0603,C14663\n' +
      '10k,R1-R4,R0603,C25804\n' +
      'ESP32-C3,U1,QFN-32,C2838500\n';
    const parsed = parseBom(utf8(csv), 'BOM_jlcpcb.csv');
    expect(parsed.warnings).toEqual([]);
    expect(parsed.lines.map((line) => [line.name, line.value, line.quantity, line.footprint])).toEqual([
      ['100nF', '100nF', '4', 'C0603'],
      ['10k', '10k', '4', 'R0603'],
      ['ESP32-C3', 'ESP32-C3', '1', 'QFN-32'],
    ]);
    expect(parsed.lines[0]!.suppliers).toEqual([{ name: 'LCSC', partNumber: 'C14663' }]);
    expect(parsed.mapping).toMatchObject({ Comment: 'name, value', Designator: 'refdes' });
  });

  it('still refuses a BOM with a Reference but no quantity and nothing electronic beside it', () => {
    expect(() => parseBom(utf8('Reference,Description\nISO 4762,Socket head screw\n'))).toThrow(BomUnreadableError);
  });

  it('flags a line of a quantity-less BOM that has no designators either, and counts it as 1', () => {
    const parsed = parseBom(utf8('Comment,Designator,Footprint\n100nF,C1,C0603\nTest point,,TP\n'));
    expect(parsed.lines.map((line) => line.quantity)).toEqual(['1', '1']);
    expect(parsed.warnings).toEqual([
      expect.objectContaining({ line: 3, column: 'Designator', code: 'designators-missing' }),
    ]);
  });

  it('flags a quantity that is not the number of designators, and keeps the quantity', () => {
    const parsed = parseBom(utf8('Reference,Value,Qty\nR1-R3,10k,2\nC1 C2,1u,2\n'));
    expect(parsed.lines.map((line) => line.quantity)).toEqual(['2', '2']);
    expect(parsed.warnings).toEqual([
      {
        line: 2,
        column: 'Qty',
        value: '2',
        code: 'designator-count-mismatch',
        values: { quantity: '2', count: 3 },
        message: 'the quantity is 2 but 3 designators are listed',
      },
    ]);
  });

  it('flags designators written twice on a line', () => {
    const parsed = parseBom(utf8('Reference,Value,Qty\n"R1-R3, R2",10k,3\n'));
    expect(parsed.lines[0]!.designators).toEqual(['R1', 'R2', 'R3']);
    expect(parsed.warnings).toEqual([
      expect.objectContaining({ code: 'designator-repeated', values: { designators: 'R2' }, column: 'Reference' }),
    ]);
  });

  it('reads DNP and DNF flags and a Fitted column as fitted: false', () => {
    const csv = 'Designator,Comment,Qty,DNF,Fitted\nR1,10k,1,DNF,\nR2,10k,1,,no\nR3,10k,1,,yes\n';
    expect(parseBom(utf8(csv)).lines.map((line) => line.fitted)).toEqual([false, false, undefined]);
  });

  it('reads a JSON BOM with designators, and the older refdes and dnf fields', () => {
    const json = JSON.stringify({
      lines: [
        { name: '10k', quantity: 3, designators: 'R1-R3', value: '10k', footprint: 'R0603', fitted: false },
        { name: '1u', quantity: 2, refdes: ['C1', 'C2'], dnf: true },
      ],
    });
    const parsed = parseBom(utf8(json), 'bom.json');
    expect(parsed.warnings).toEqual([]);
    expect(parsed.lines.map((line) => [line.designators, line.value, line.footprint, line.fitted])).toEqual([
      [['R1', 'R2', 'R3'], '10k', 'R0603', false],
      [['C1', 'C2'], undefined, undefined, false],
    ]);
  });
});

describe('electronic BOM lines in views and exports', () => {
  const csv =
    'Reference,Value,Footprint,Qty,DNP,MPN,Manufacturer,Alt MPN,Unit Price,Currency\n' +
    'R1-R4,10k,R0603,4,,RC0603FR-0710KL,Yageo,ERJ-3EKF1002V,0.01,EUR\n' +
    'C1,100n,C0603,1,DNP,GRM188R71H104KA93D,Murata,,0.05,EUR\n' +
    'U1,ATmega328P,TQFP-32,1,,ATMEGA328P-AU,Microchip,,2.50,EUR\n';

  it('lists unfitted lines scaled like the others, but without order quantity or cost, and outside the totals', () => {
    const { lines } = parseBom(utf8(csv));
    const view = bomView(lines, { units: 10 });
    expect(view.lines.map((line) => [line.designators?.length, line.quantity, line.lineCost, line.fitted])).toEqual([
      [4, '40', '0.4', undefined],
      [1, '10', undefined, false],
      [1, '10', '25', undefined],
    ]);
    expect(view.totals.byCurrency).toEqual({ EUR: '25.4' });
    const flat = bomView(lines, { units: 10, flatten: true });
    expect(flat.totals.byCurrency).toEqual({ EUR: '25.4' });
    expect(flat.lines.find((line) => line.mpn === 'GRM188R71H104KA93D')).toMatchObject({
      quantity: '10',
      fitted: false,
    });
  });

  it('merges the designators of lines that are one part when flattened', () => {
    const { lines } = parseBom(utf8('Reference,Value,Qty,Part Number\nR1 R2,10k,2,RES-10K\nR7,10k,1,RES-10K\n'));
    const flat = bomView(lines, { flatten: true });
    expect(flat.lines).toEqual([expect.objectContaining({ quantity: '3', designators: ['R1', 'R2', 'R7'] })]);
  });

  it('exports and re-imports designators, value, footprint, MPN, alternates and DNP unchanged', () => {
    const { lines } = parseBom(utf8(csv));
    for (const format of ['csv', 'tsv'] as const) {
      const exported = exportBom(lines, format);
      expect(exported.split('\n')[0]).toContain('References');
      const again = parseBom(utf8(exported), `bom.${format}`);
      expect(again.warnings).toEqual([]);
      expect(again.lines).toEqual(lines);
    }
    expect(lines[0]!.substitutes).toEqual([{ name: 'ERJ-3EKF1002V', mpn: 'ERJ-3EKF1002V' }]);
  });
});
