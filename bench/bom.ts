// BOM benchmark: parseBom beside bare csv-parse on one 100,000-line file; bomView on 10,000 lines.
import { parse as parseCsv } from 'csv-parse/sync';
import { performance } from 'node:perf_hooks';
import { bomView, parseBom, type BomLine } from '../server/src/bom/kernel/index.js';
import { median } from './stats.js';

const PARSE_LINES = 100_000;
const VIEW_LINES = 10_000;
const PARSE_TARGET_RATIO = 0.5;
const VIEW_TARGET_MS = 50;

/** A 3-level BOM: assemblies 1…n, sub-assemblies n.1…, parts n.m.1…; mixed units, prices, currencies. */
function generateCsv(lineCount: number): Buffer {
  const rows = ['Level,Part Number,Description,Qty,Unit,Unit Price,Currency,Supplier,Notes'];
  const units = ['pcs', 'm', 'mm', 'kg'];
  let a = 0;
  while (rows.length <= lineCount) {
    a++;
    rows.push(`${a},ASM-${a},Assembly ${a},1,pcs,12.50,EUR,,`);
    for (let b = 1; b <= 4 && rows.length <= lineCount; b++) {
      rows.push(`${a}.${b},SUB-${a}-${b},Sub-assembly ${a}.${b},2,pcs,,,,`);
      for (let c = 1; c <= 6 && rows.length <= lineCount; c++) {
        const n = rows.length;
        const unit = units[n % units.length];
        const quantity = unit === 'pcs' ? String(1 + (n % 16)) : `${n % 7}.${n % 10}`;
        const note = n % 5 === 0 ? '"Cut 4 x 1550 mm, deburr"' : '';
        rows.push(
          `${a}.${b}.${c},P-${n % 5000},Part ${n} steel tube 40x40x3,${quantity},${unit},${(n % 900) / 100 + 0.05},${n % 3 === 0 ? 'USD' : 'EUR'},Supplier ${n % 40},${note}`,
        );
      }
    }
  }
  return Buffer.from(rows.slice(0, lineCount + 1).join('\n') + '\n');
}

function generateTree(lineCount: number): BomLine[] {
  const lines: BomLine[] = [];
  let count = 0;
  for (let a = 1; count < lineCount; a++) {
    const assembly: BomLine = {
      position: String(a),
      name: `Assembly ${a}`,
      quantity: '1',
      unit: 'pcs',
      unitCost: '12.5',
      currency: 'EUR',
      children: [],
    };
    lines.push(assembly);
    count++;
    for (let b = 1; b <= 4 && count < lineCount; b++) {
      const sub: BomLine = { position: `${a}.${b}`, name: `Sub ${a}.${b}`, quantity: '2', unit: 'pcs', children: [] };
      assembly.children!.push(sub);
      count++;
      for (let c = 1; c <= 6 && count < lineCount; c++) {
        const unit = ['pcs', 'm', 'mm', 'kg'][count % 4]!;
        sub.children!.push({
          position: `${a}.${b}.${c}`,
          partNumber: `P-${count % 500}`,
          name: `Part ${count % 500}`,
          quantity: unit === 'pcs' ? String(1 + (count % 9)) : `${count % 7}.${count % 10}`,
          unit,
          unitCost: `${count % 90}.${count % 100}`,
          currency: count % 3 === 0 ? 'USD' : 'EUR',
          ...(count % 4 === 0 ? { packSize: '50', attrition: '0.05' } : {}),
        });
        count++;
      }
    }
  }
  return lines;
}

function time(work: () => void): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

export async function run(): Promise<void> {
  const bytes = generateCsv(PARSE_LINES);
  const megabytes = bytes.length / 1e6;
  // Warm both paths once so neither pays for JIT compilation in the measured runs.
  parseCsv(bytes);
  parseBom(bytes, 'bench.csv');
  const bareTimes: number[] = [];
  const bomTimes: number[] = [];
  let parsedLines = 0;
  for (let i = 0; i < 3; i++) {
    bareTimes.push(time(() => parseCsv(bytes)));
    bomTimes.push(
      time(() => {
        const parsed = parseBom(bytes, 'bench.csv');
        parsedLines = parsed.lines.length;
      }),
    );
  }
  const bare = median(bareTimes);
  const bom = median(bomTimes);
  const ratio = bare / bom;
  const rate = (ms: number) =>
    `${Math.round(PARSE_LINES / (ms / 1000)).toLocaleString('en')} lines/s, ${(megabytes / (ms / 1000)).toFixed(1)} MB/s`;
  console.log(
    `BOM import: ${PARSE_LINES.toLocaleString('en')} lines, ${megabytes.toFixed(2)} MB, 3 levels (${parsedLines} top-level assemblies)`,
  );
  console.log(`  bare csv-parse  median ${bare.toFixed(0)} ms  ${rate(bare)}`);
  console.log(`  parseBom        median ${bom.toFixed(0)} ms  ${rate(bom)}`);
  console.log(
    `  ratio parseBom / csv-parse throughput: ${ratio.toFixed(2)}× (target ≥ ${PARSE_TARGET_RATIO}×) ${ratio >= PARSE_TARGET_RATIO ? 'OK' : 'BELOW TARGET'}`,
  );

  const tree = generateTree(VIEW_LINES);
  const options = { units: 25, flatten: true, currency: 'EUR', rates: { EUR: '1', USD: '0.92' } };
  bomView(tree, options);
  const viewTimes: number[] = [];
  let flatLines = 0;
  for (let i = 0; i < 5; i++)
    viewTimes.push(
      time(() => {
        flatLines = bomView(tree, options).lines.length;
      }),
    );
  const view = median(viewTimes);
  console.log(
    `BOM view: ${VIEW_LINES.toLocaleString('en')} lines, scale ×25 + flatten (${flatLines} merged parts) + rollup + conversion`,
  );
  console.log(
    `  median of 5: ${view.toFixed(1)} ms (target ≤ ${VIEW_TARGET_MS} ms) ${view <= VIEW_TARGET_MS ? 'OK' : 'ABOVE TARGET'}`,
  );
}
