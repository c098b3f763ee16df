// schemas/bom.schema.json and its line (bom-line.schema.json): usable by Fastify's Ajv, in step with the TypeScript
// model and vocabulary; the line as the BOM view shows it (bom-view-line) in step with the stored line.
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { parseBom, PROCESSES } from '../../server/src/bom/kernel/index.js';
import { loadSchemas, schemaById } from '../../server/src/schemas.js';

const schema = schemaById('bom') as any;
const line = schemaById('bom-line') as any;

async function appValidatingBoms() {
  const app = Fastify();
  for (const s of loadSchemas()) app.addSchema(s);
  app.post('/bom', { schema: { body: { $ref: 'bom#' } } }, async () => ({ ok: true }));
  await app.ready();
  return app;
}

describe('bom.schema.json', () => {
  it('has $id "bom", lines of bom-line, and the process vocabulary of processes.ts', () => {
    expect(schema.$id).toBe('bom');
    expect(schema.properties.lines.items).toEqual({ $ref: 'bom-line#' });
    expect(schemaById('bom-process').enum).toEqual([...PROCESSES]);
  });

  it('shows a line in the BOM view with every field of the stored line, defined alike, and what the view adds', () => {
    const view = schemaById('bom-view-line') as any;
    const { quantity: _q, children: _c, ...stored } = line.properties;
    const { quantity, children, quantityPer, orderQuantity, lineCost, ...shown } = view.properties;
    expect(shown).toEqual(stored);
    expect([quantity, quantityPer, orderQuantity, lineCost].map((p) => p.$ref)).toEqual(Array(4).fill('decimal#'));
    expect(children.items).toEqual({ $ref: 'bom-view-line#' });
    expect(view.additionalProperties).toBe(false);
  });

  it('names exactly the fields of BomLine', () => {
    expect(Object.keys(line.properties).sort()).toEqual([
      'attrition',
      'children',
      'currency',
      'cutLength',
      'description',
      'designators',
      'filePath',
      'fitted',
      'footprint',
      'manufacturer',
      'material',
      'minOrder',
      'mpn',
      'name',
      'notes',
      'optional',
      'packSize',
      'partNumber',
      'position',
      'process',
      'quantity',
      'substitutes',
      'suppliers',
      'unit',
      'unitCost',
      'value',
    ]);
  });

  it('accepts what parseBom produces, sub-assemblies included', async () => {
    const app = await appValidatingBoms();
    const parsed = parseBom(
      Buffer.from(
        'Level,Name,Qty,Unit,Unit Price,Currency,Process,Supplier,Digikey\n1,Frame,1,pcs,12.50,EUR,welding,Acme,\n1.1,Tube,6.2,m,4.10,EUR,sawing,,\n2,Board,1,pcs,,,,Mouser,123-ABC\n',
      ),
    );
    const reply = await app.inject({ method: 'POST', url: '/bom', payload: { lines: parsed.lines } });
    expect(reply.statusCode).toBe(200);
    await app.close();
  });

  it('refuses a process outside the vocabulary, a float-like money string and a lowercase currency', async () => {
    const app = await appValidatingBoms();
    const bad = async (line: Record<string, unknown>) =>
      (
        await app.inject({
          method: 'POST',
          url: '/bom',
          payload: { lines: [{ position: '1', name: 'X', quantity: '1', unit: 'pcs', ...line }] },
        })
      ).statusCode;
    expect(await bad({ process: 'knitting' })).toBe(400);
    expect(await bad({ unitCost: '1e3' })).toBe(400);
    expect(await bad({ unitCost: '4.10', currency: 'usd' })).toBe(400);
    expect(await bad({ children: [{ name: 'no position', quantity: 1, unit: 'pcs' }] })).toBe(400);
    expect(await bad({ quantity: 2.5 })).toBe(200);
    await app.close();
  });
});
