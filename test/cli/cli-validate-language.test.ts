// `andecha validate` offline in the user's language (LANG): the BOM's warnings and the reason a BOM cannot be used are
// worded as the server would word them to this user, checked against the catalogue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogueFile } from '../helpers/catalogues.js';

const bin = new URL('../../bin/andecha.mjs', import.meta.url).pathname;
const es = catalogueFile('es').bomWarnings;

describe('andecha validate in the user’s language', () => {
  let tmp: string;
  const validate = (folder: string, lang: string) =>
    new Promise<{ code: number; stdout: string }>((resolve) => {
      const env = { ...process.env, LANG: lang, LC_ALL: '', LC_MESSAGES: '', ANDECHA_CONFIG: join(tmp, 'none.json') };
      execFile(process.execPath, [bin, 'validate', folder], { env, timeout: 60_000 }, (err, stdout) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout }),
      );
    });
  function folder(name: string, bom: string): string {
    const dir = join(tmp, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ version: '1.0.0', licenses: { hardware: 'MIT' } }));
    writeFileSync(join(dir, 'bom.csv'), bom);
    return dir;
  }

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'andecha-cli-lang-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('words a BOM’s warnings in Spanish for LANG=es_ES.UTF-8, in English for LANG=C', async () => {
    const dir = folder('warned', 'Qty,Name\nlots,Frame\n');
    const spanish = await validate(dir, 'es_ES.UTF-8');
    expect(spanish.code).toBe(0);
    expect(spanish.stdout).toContain(`warning bom.csv:2 (Qty): ${es.quantityUnreadable}`);
    const english = await validate(dir, 'C');
    expect(english.stdout).toContain(
      'warning bom.csv:2 (Qty): expected a quantity such as 4, 2.5 m or 3/4; counted as 1',
    );
  });

  it('gives the reason a BOM cannot be used in Spanish', async () => {
    const r = await validate(folder('unusable', 'Part Number,Name\nB1,Bolt\n'), 'es_ES.UTF-8');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`error   bom.csv: ${es.noQuantityColumn}`);
  });
});
