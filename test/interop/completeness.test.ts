// Documentation completeness: the pure score on known versions, and the completeness section of the version document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentationCompleteness } from '../../server/src/interop/completeness.js';
import { databaseKinds } from '../helpers/databases.js';
import { createDesign, createTestApp, publish, registerUser, type TestApp, type TestUser } from '../helpers/app.js';

const longReadme = { path: 'README.md', size: 2400 };

describe('documentationCompleteness', () => {
  it('scores a fully documented version 100 with nothing missing', () => {
    expect(
      documentationCompleteness({
        manifest: {
          licenses: { hardware: 'CERN-OHL-S-2.0' },
          readiness: { technology: 'OTRL-5' },
          safetyCritical: true,
          safety: ['Hydraulic oil under pressure.'],
        },
        files: [
          longReadme,
          { path: 'cad/frame.step', size: 10 },
          { path: 'drawings/cut.dxf', size: 10 },
          { path: 'photos/press.jpg', size: 10 },
        ],
        hasBom: true,
      }),
    ).toEqual({ score: 100, missing: [] });
  });

  it('lists each missing item: meshes only are not CAD source, a short README is not instructions', () => {
    expect(
      documentationCompleteness({
        manifest: { safetyCritical: true, licenses: { hardware: 'not a licence' } },
        files: [
          { path: 'README.md', size: 40 },
          { path: 'cad/frame.stl', size: 10 },
          { path: 'cad/frame.glb', size: 10 },
        ],
        hasBom: false,
      }),
    ).toEqual({
      score: 0,
      missing: [
        'licence',
        'bom',
        'cad-source',
        'drawings',
        'assembly-instructions',
        'photos',
        'safety-notes',
        'readiness-level',
      ],
    });
  });

  it('counts manifest instructions present in the version, approved build photos, and safety as not needed unless critical', () => {
    const r = documentationCompleteness({
      manifest: { licenses: { documentation: 'CC-BY-SA-4.0' }, 'manufacturing-instructions': '/docs/assembly.md' },
      files: [
        { path: 'docs/assembly.md', size: 100 },
        { path: 'cad/press.FCStd', size: 10 },
        { path: 'drawings/plan.pdf', size: 10 },
      ],
      hasBom: true,
      approvedBuildPhotos: 3,
    });
    expect(r).toEqual({ score: 90, missing: ['readiness-level'] });
    const missingFile = documentationCompleteness({
      manifest: { 'manufacturing-instructions': 'docs/missing.md' },
      files: [],
      hasBom: false,
    });
    expect(missingFile.missing).toContain('assembly-instructions');
  });
});

describe.each(databaseKinds)('completeness section on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  beforeAll(async () => {
    t = await createTestApp(kind);
    ana = await registerUser(t.app, 'ana');
    await createDesign(t.app, ana, 'press', { licenses: { hardware: 'CERN-OHL-S-2.0' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('adds {score, missing} to the version document', async () => {
    const r = await publish(
      t.app,
      ana,
      'ana',
      'press',
      { version: '1.0.0', readiness: { documentation: 'ODRL-2' } },
      [
        { path: 'cad/frame.stl', bytes: 'solid x\nendsolid x\n' },
        { path: 'README.md', bytes: '# Press\n' },
      ],
      { name: 'bom.csv', bytes: 'Qty,Name\n1,Frame\n' },
    );
    expect(r.statusCode).toBe(201);
    expect(r.json().completeness).toEqual({
      score: 50,
      missing: ['cad-source', 'drawings', 'assembly-instructions', 'photos'],
    });
    const doc = (await t.app.inject({ url: '/api/designs/ana/press/versions/latest' })).json();
    expect(doc.completeness).toEqual({
      score: 50,
      missing: ['cad-source', 'drawings', 'assembly-instructions', 'photos'],
    });
  });
});
