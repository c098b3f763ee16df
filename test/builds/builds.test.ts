// Build reports end to end on both databases: workshop → report with photos → changes requested → resubmitted →
// approved → field data; who may report and review; photos lose their EXIF; hostile uploads are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { databaseKinds } from '../helpers/databases.js';
import {
  createDesign,
  createTestApp,
  formPayload,
  isProblem,
  publish,
  registerUser,
  type TestApp,
  type TestUser,
} from '../helpers/app.js';
import { hasGpsPointer, jpegWithGps, plainPng, pngClaiming, svgPhoto } from '../fixtures/photos.js';
import { regionalSubstitutions } from '../../server/src/builds/field.js';

const bomCsv =
  [
    'Level,Part Number,Description,Qty,Unit,Unit Price,Currency,Process',
    '1,FR-01,Frame weldment,1,pcs,0,USD,welding',
    '1.1,ST-40,Square tube 40x40x3,6.2,m,4.10,USD,sawing',
    '1.2,BL-M12,Bolt M12x40,16,pcs,0.35,USD,',
    '2,HY-CYL,Hydraulic cylinder,1,pcs,189.00,USD,hydraulics',
  ].join('\n') + '\n';

interface Photo {
  name: string;
  bytes: Buffer;
}

async function postReport(t: TestApp, user: TestUser | undefined, url: string, report: unknown, photos: Photo[] = []) {
  const fd = new FormData();
  fd.append('report', typeof report === 'string' ? report : JSON.stringify(report));
  for (const p of photos) fd.append('photos', new Blob([p.bytes as BlobPart]), p.name);
  const { payload, headers } = await formPayload(fd);
  return t.app.inject({ method: 'POST', url, headers: { ...headers, ...(user?.auth ?? {}) }, payload });
}

async function waitPhotos(t: TestApp, id: string, timeoutMs = 30_000) {
  const t0 = Date.now();
  for (;;) {
    const r = (await t.app.inject({ url: `/api/builds/${id}` })).json();
    if (r.photos.every((p: any) => p.state === 'done' || p.state === 'failed') || Date.now() - t0 > timeoutMs) return r;
    await new Promise((res) => setTimeout(res, 25));
  }
}

const countReports = async (t: TestApp) =>
  (await t.deps.db.raw('select count(*)::int as n from build_reports')).rows[0].n as number;

describe.each(databaseKinds)('build reports on %s', (kind) => {
  let t: TestApp;
  let lead: TestUser;
  let maint: TestUser;
  let maker: TestUser;
  let outsider: TestUser;
  const base = () => `/api/designs/${lead.handle}/press/versions/1.0.0`;

  beforeAll(async () => {
    t = await createTestApp(kind, { runWorker: true, workerThreads: 1 });
    [lead, maint, maker, outsider] = [
      await registerUser(t.app),
      await registerUser(t.app),
      await registerUser(t.app),
      await registerUser(t.app),
    ];
    await createDesign(t.app, lead, 'press');
    const p = await publish(
      t.app,
      lead,
      lead.handle,
      'press',
      { version: '1.0.0' },
      [{ path: 'README.md', bytes: '# Press' }],
      { name: 'bom.csv', bytes: bomCsv },
    );
    expect(p.statusCode).toBe(201);
    const m = await t.app.inject({
      method: 'POST',
      url: `/api/designs/${lead.handle}/press/maintainers`,
      headers: lead.auth,
      payload: { handle: maint.handle },
    });
    expect(m.statusCode).toBe(201);
    const w = await t.app.inject({
      method: 'POST',
      url: '/api/workshops',
      headers: maker.auth,
      payload: {
        slug: 'fundi-ke',
        name: 'Fundi Works',
        place: { city: 'Nairobi', country: 'KE', lat: -1.286389, lon: 36.817223 },
        processes: ['welding', 'sawing'],
      },
    });
    expect(w.statusCode).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('runs the whole flow: report with photos → changes requested → resubmitted → approved → field data', async () => {
    const bom = (await t.app.inject({ url: `${base()}/bom?format=json` })).json();
    const gps = await jpegWithGps();
    expect(hasGpsPointer((await sharp(gps).metadata()).exif)).toBe(true);
    const r = await postReport(
      t,
      maker,
      `${base()}/builds`,
      {
        workshop: 'fundi-ke',
        outcome: 'success',
        startedOn: '2025-03-01',
        finishedOn: '2025-03-09',
        hours: 12.5,
        unitsBuilt: 1,
        cost: { amount: '812.50', currency: 'KES' },
        lines: [
          {
            position: '1.1',
            status: 'substituted',
            substitute: { name: 'local 50 mm RHS', supplier: 'Gikomba' },
            reason: 'ASTM tube not sold here',
          },
        ],
        deviations: 'Base plate 2 mm thicker',
        notes: '# Built\n\nWorks **well**.<script>alert(1)</script><img src=x onerror=alert(2)>',
      },
      [
        { name: 'frame.jpg', bytes: gps },
        { name: 'press.png', bytes: await plainPng() },
      ],
    );
    expect(r.statusCode).toBe(201);
    const created = r.json();
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created).toMatchObject({
      state: 'submitted',
      outcome: 'success',
      hours: 12.5,
      unitsBuilt: 1,
      cost: { amount: '812.50', currency: 'KES' },
      bomChecksum: bom.checksum,
      country: 'KE',
    });
    expect(created.workshop).toEqual({ slug: 'fundi-ke', name: 'Fundi Works' });
    expect(created.author).toEqual({ handle: maker.handle });
    expect(created.notes).toContain('<script>');
    expect(created.notesHtml).toContain('<strong>well</strong>');
    expect(created.notesHtml).not.toMatch(/<script|onerror/);
    expect(created.photos.map((p: any) => p.n)).toEqual([1, 2]);
    expect(created.photos[0].variants).toEqual({
      large: `/api/builds/${created.id}/photos/1/large`,
      thumb: `/api/builds/${created.id}/photos/1/thumb`,
    });

    // photos: processed by the pipeline, no EXIF (GPS included) in any stored copy, orientation applied
    const done = await waitPhotos(t, created.id);
    expect(done.photos.map((p: any) => p.state)).toEqual(['done', 'done']);
    expect(done.photos[0]).toMatchObject({ width: 400, height: 600 });
    for (const [url, type, w] of [
      [done.photos[0].variants.large, 'image/webp', 400],
      [done.photos[0].variants.thumb, 'image/webp', 267],
      [`${done.photos[0].variants.large}?format=jpeg`, 'image/jpeg', 400],
      [`${done.photos[0].variants.thumb}?format=jpeg`, 'image/jpeg', 267],
      [done.photos[0].original, 'image/jpeg', 400],
    ] as const) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe(type);
      const meta = await sharp(res.rawPayload).metadata();
      expect(meta.exif, url).toBeUndefined();
      expect(meta.width, url).toBe(w);
      expect(res.rawPayload.includes(Buffer.from('TestPhone'))).toBe(false);
    }
    // the raw upload is gone from the blob store: only metadata-free copies are kept
    const rows = (
      await t.deps.db.raw('select upload_sha256, variants from build_photos where report_id = $1 order by n', [
        created.id,
      ])
    ).rows;
    expect(rows.map((x: any) => x.upload_sha256)).toEqual([null, null]);
    const { createHash } = await import('node:crypto');
    expect(await t.deps.blobs.has(createHash('sha256').update(gps).digest('hex'))).toBe(false);
    for (const row of rows) {
      for (const sha of Object.values(row.variants as Record<string, string>)) {
        const meta = await sharp(await t.deps.blobs.getBuffer(sha)).metadata();
        expect(meta.exif).toBeUndefined();
        expect(meta.xmp).toBeUndefined();
      }
    }

    // in both leads' queues (oldest first, with age), not in the author's
    const q = (await t.app.inject({ url: '/api/reviews/queue', headers: lead.auth })).json();
    expect(q.items.map((i: any) => i.id)).toEqual([created.id]);
    expect(q.items[0].ageSeconds).toBeGreaterThanOrEqual(0);
    expect((await t.app.inject({ url: '/api/reviews/queue', headers: maint.auth })).json().items).toHaveLength(1);
    expect((await t.app.inject({ url: '/api/reviews/queue', headers: maker.auth })).json().items).toEqual([]);

    // lead requests changes; approving a report in that state is a state clash
    const rc = await t.app.inject({
      method: 'POST',
      url: `/api/builds/${created.id}/reviews`,
      headers: lead.auth,
      payload: {
        decision: 'request-changes',
        comment: 'Hours look low',
        remarks: [{ field: 'hours', message: 'include welding prep' }],
      },
    });
    expect(rc.statusCode).toBe(201);
    expect(rc.json().state).toBe('changes-requested');
    const clash = await t.app.inject({
      method: 'POST',
      url: `/api/builds/${created.id}/reviews`,
      headers: maint.auth,
      payload: { decision: 'approve', comment: 'ok' },
    });
    expect(clash.statusCode).toBe(409);
    expect(isProblem(clash)).toBe(true);
    expect((await t.app.inject({ url: '/api/reviews/queue', headers: lead.auth })).json().items).toEqual([]);

    // the author edits, which resubmits
    const ed = await t.app.inject({
      method: 'PATCH',
      url: `/api/builds/${created.id}`,
      headers: maker.auth,
      payload: { hours: 14, comment: 'Added prep time' },
    });
    expect(ed.statusCode).toBe(200);
    expect(ed.json()).toMatchObject({ state: 'submitted', hours: 14 });
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/builds/${created.id}/resubmit`,
      headers: maker.auth,
      payload: {},
    });
    expect(again.statusCode).toBe(409);

    // a maintainer approves
    const ap = await t.app.inject({
      method: 'POST',
      url: `/api/builds/${created.id}/reviews`,
      headers: maint.auth,
      payload: { decision: 'approve', comment: 'Thanks, clear photos' },
    });
    expect(ap.statusCode).toBe(201);
    const approved = ap.json();
    expect(approved.state).toBe('approved');
    expect(approved.history.map((h: any) => [h.action, h.from, h.to, h.by])).toEqual([
      ['submit', null, 'submitted', maker.handle],
      ['request-changes', 'submitted', 'changes-requested', lead.handle],
      ['resubmit', 'changes-requested', 'submitted', maker.handle],
      ['approve', 'submitted', 'approved', maint.handle],
    ]);
    expect(approved.history[1]).toMatchObject({
      comment: 'Hours look low',
      remarks: [{ field: 'hours', message: 'include welding prep' }],
    });
    expect(approved.history[2].comment).toBe('Added prep time');
    expect(approved.reviews.map((x: any) => x.decision)).toEqual(['request-changes', 'approve']);
    for (const h of approved.history) expect(Date.parse(h.at)).not.toBeNaN();

    // decided: no more edits or reviews
    expect(
      (
        await t.app.inject({
          method: 'PATCH',
          url: `/api/builds/${created.id}`,
          headers: maker.auth,
          payload: { hours: 1 },
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/builds/${created.id}/reviews`,
          headers: lead.auth,
          payload: { decision: 'reject' },
        })
      ).statusCode,
    ).toBe(409);

    // two more reports: one approved, one still waiting (counted in total only)
    const r2 = await postReport(t, maker, `${base()}/builds`, {
      workshop: 'fundi-ke',
      outcome: 'partial',
      hours: 10,
      cost: { amount: '700.00', currency: 'KES' },
      unitsBuilt: 2,
      lines: [
        { position: '1.1', status: 'substituted', substitute: { name: 'Local  50 mm rhs' } },
        { position: '2', status: 'skipped' },
      ],
    });
    expect(r2.statusCode).toBe(201);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/builds/${r2.json().id}/reviews`,
          headers: lead.auth,
          payload: { decision: 'approve' },
        })
      ).statusCode,
    ).toBe(201);
    const r3 = await postReport(t, maker, `${base()}/builds`, {
      workshop: 'fundi-ke',
      outcome: 'failed',
      hours: 100,
      cost: { amount: '5000', currency: 'KES' },
    });
    expect(r3.statusCode).toBe(201);

    const field = (await t.app.inject({ url: `${base()}/field` })).json();
    expect(field.builds).toEqual({ total: 3, approved: 2, byOutcome: { success: 1, partial: 1, failed: 0 } });
    expect(field.hours.median).toBe(12);
    expect(field.cost).toEqual([{ currency: 'KES', median: '756.25', medianPerUnit: '581.25', reports: 2 }]);
    expect(field.bomEstimate).toEqual({ USD: '220.02' });
    expect(field.substitutions).toEqual([
      {
        position: '1.1',
        partNumber: 'ST-40',
        name: 'Square tube 40x40x3',
        substitute: { name: 'local 50 mm RHS', supplier: 'Gikomba' },
        count: 2,
        of: 2,
        countries: { KE: 2 },
      },
    ]);
    expect(field.byCountry).toHaveLength(1);
    expect(field.byCountry[0]).toMatchObject({ country: 'KE', total: 3, approved: 2, hours: { median: 12 } });

    const versionId = (
      await t.deps.db.raw(
        `select v.id from design_versions v join designs d on d.id = v.design_id where d.slug = 'press' and v.version = '1.0.0'`,
      )
    ).rows[0].id;
    const ke = await regionalSubstitutions(t.deps.db.db, versionId, 'ke');
    expect(ke.builds).toBe(2);
    expect(ke.substitutions[0].sentence).toBe(
      'in 2 of 2 builds in KE, line 1.1 "Square tube 40x40x3" became "local 50 mm RHS"',
    );
    expect((await regionalSubstitutions(t.deps.db.db, versionId, 'ES')).substitutions).toEqual([]);

    const list = (await t.app.inject({ url: `${base()}/builds` })).json();
    expect(list.items).toHaveLength(3);
    const ws = (await t.app.inject({ url: '/api/workshops/fundi-ke' })).json();
    expect(ws.builds).toHaveLength(3);
  }, 90_000);

  it('only members report, only leads review, nobody reviews their own report', async () => {
    const before = await countReports(t);
    const anon = await postReport(t, undefined, `${base()}/builds`, { workshop: 'fundi-ke', outcome: 'success' });
    expect(anon.statusCode).toBe(401);
    const stranger = await postReport(t, outsider, `${base()}/builds`, { workshop: 'fundi-ke', outcome: 'success' }, [
      { name: 'a.png', bytes: await plainPng() },
    ]);
    expect(stranger.statusCode).toBe(403);
    expect(isProblem(stranger)).toBe(true);
    expect(await countReports(t)).toBe(before);

    // an admin adds the outsider; then they may report
    const add = await t.app.inject({
      method: 'POST',
      url: '/api/workshops/fundi-ke/members',
      headers: maker.auth,
      payload: { handle: outsider.handle, role: 'member' },
    });
    expect(add.statusCode).toBe(201);
    const ok = await postReport(t, outsider, `${base()}/builds`, { workshop: 'fundi-ke', outcome: 'success' });
    expect(ok.statusCode).toBe(201);
    const id = ok.json().id;

    // the author edits; someone else may not
    expect(
      (await t.app.inject({ method: 'PATCH', url: `/api/builds/${id}`, headers: maker.auth, payload: { hours: 3 } }))
        .statusCode,
    ).toBe(403);
    // a non-lead (a workshop admin of another's design) may not review
    const nonLead = await t.app.inject({
      method: 'POST',
      url: `/api/builds/${id}/reviews`,
      headers: maker.auth,
      payload: { decision: 'approve' },
    });
    expect(nonLead.statusCode).toBe(403);

    // a lead reporting a build of their own design cannot approve it; another lead can
    const own = await t.app.inject({
      method: 'POST',
      url: '/api/workshops',
      headers: lead.auth,
      payload: {
        slug: 'lead-shop',
        name: 'Lead shop',
        place: { city: 'Gijón', country: 'ES' },
        processes: ['welding'],
      },
    });
    expect(own.statusCode).toBe(201);
    const mine = await postReport(t, lead, `${base()}/builds`, { workshop: 'lead-shop', outcome: 'success' });
    expect(mine.statusCode).toBe(201);
    const self = await t.app.inject({
      method: 'POST',
      url: `/api/builds/${mine.json().id}/reviews`,
      headers: lead.auth,
      payload: { decision: 'approve' },
    });
    expect(self.statusCode).toBe(403);
    expect(self.json().detail).toMatch(/own/);
    expect(
      (await t.app.inject({ url: '/api/reviews/queue', headers: lead.auth })).json().items.map((i: any) => i.id),
    ).not.toContain(mine.json().id);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/builds/${mine.json().id}/reviews`,
          headers: maint.auth,
          payload: { decision: 'reject', comment: 'no photos' },
        })
      ).statusCode,
    ).toBe(201);
    // a report naming a line the BOM does not have
    const bad = await postReport(t, maker, `${base()}/builds`, {
      workshop: 'fundi-ke',
      outcome: 'success',
      lines: [{ position: '9.9', status: 'skipped' }],
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0]).toMatchObject({ field: '/report/lines/0/position', value: '9.9' });
    // strict report body
    const extra = await postReport(t, maker, `${base()}/builds`, {
      workshop: 'fundi-ke',
      outcome: 'great',
      colour: 'red',
    });
    expect(extra.statusCode).toBe(400);
    expect(
      extra
        .json()
        .errors.map((e: any) => e.field)
        .sort(),
    ).toEqual(['/report/colour', '/report/outcome']);
  }, 60_000);

  it('approving a safety-critical design needs safetyChecked: true', async () => {
    const p = await publish(
      t.app,
      lead,
      lead.handle,
      'press',
      { version: '2.0.0', safetyCritical: true, safety: ['pressure'] },
      [{ path: 'README.md', bytes: '# Press 2' }],
      { name: 'bom.csv', bytes: bomCsv },
    );
    expect(p.statusCode).toBe(201);
    const r = await postReport(t, maker, `/api/designs/${lead.handle}/press/versions/2.0.0/builds`, {
      workshop: 'fundi-ke',
      outcome: 'success',
      safetyNotes: 'Relief valve tested at 1.5× rated pressure',
    });
    expect(r.statusCode).toBe(201);
    expect(r.json().safetyCritical).toBe(true);
    const no = await t.app.inject({
      method: 'POST',
      url: `/api/builds/${r.json().id}/reviews`,
      headers: lead.auth,
      payload: { decision: 'approve', comment: 'looks fine' },
    });
    expect(no.statusCode).toBe(422);
    expect(no.json().errors[0].field).toBe('/safetyChecked');
    const yes = await t.app.inject({
      method: 'POST',
      url: `/api/builds/${r.json().id}/reviews`,
      headers: lead.auth,
      payload: { decision: 'approve', comment: 'valve test seen', safetyChecked: true },
    });
    expect(yes.statusCode).toBe(201);
    expect(yes.json().history.at(-1)).toMatchObject({ action: 'approve', safetyChecked: true });
  });

  it('the safety check binds approvals of safety-critical designs only: false is refused like missing, other decisions need none', async () => {
    const critical = await postReport(t, maker, `/api/designs/${lead.handle}/press/versions/2.0.0/builds`, {
      workshop: 'fundi-ke',
      outcome: 'partial',
      safetyNotes: '- Guard fitted\n- Valve not yet tested',
    });
    expect(critical.statusCode).toBe(201);
    const id = critical.json().id;
    const unchecked = await t.app.inject({
      method: 'POST',
      url: `/api/builds/${id}/reviews`,
      headers: lead.auth,
      payload: { decision: 'approve', comment: 'fine', safetyChecked: false },
    });
    expect(unchecked.statusCode).toBe(422);
    expect(isProblem(unchecked)).toBe(true);
    expect(unchecked.json().errors).toEqual([
      { field: '/safetyChecked', message: 'must be true to approve a safety-critical design' },
    ]);
    // refused before anything was recorded: the report still waits for a decision
    expect((await t.app.inject({ url: `/api/builds/${id}` })).json().state).toBe('submitted');
    const changes = await t.app.inject({
      method: 'POST',
      url: `/api/builds/${id}/reviews`,
      headers: lead.auth,
      payload: { decision: 'request-changes', comment: 'test the relief valve first' },
    });
    expect(changes.statusCode).toBe(201);
    expect(changes.json().state).toBe('changes-requested');

    const ordinary = await postReport(t, maker, `${base()}/builds`, { workshop: 'fundi-ke', outcome: 'success' });
    expect(ordinary.statusCode).toBe(201);
    const approved = await t.app.inject({
      method: 'POST',
      url: `/api/builds/${ordinary.json().id}/reviews`,
      headers: lead.auth,
      payload: { decision: 'approve', comment: 'thanks' },
    });
    expect(approved.statusCode).toBe(201);
    expect(approved.json().state).toBe('approved');
  });

  it('refuses SVG and HTML (415) and a 30,000 × 30,000 PNG (413) quickly, before any row; fails an undecodable photo with a reason', async () => {
    const before = await countReports(t);
    const svg = await postReport(t, maker, `${base()}/builds`, { workshop: 'fundi-ke', outcome: 'success' }, [
      { name: 'photo.jpg', bytes: svgPhoto },
    ]);
    expect(svg.statusCode).toBe(415);
    expect(svg.json().detail).toMatch(/SVG/);
    const html = await postReport(t, maker, `${base()}/builds`, { workshop: 'fundi-ke', outcome: 'success' }, [
      { name: 'x.png', bytes: Buffer.from('<!doctype html><html><body>hi</body></html>') },
    ]);
    expect(html.statusCode).toBe(415);

    const bomb = pngClaiming(30_000, 30_000);
    expect(bomb.length).toBeLessThan(200);
    const t0 = performance.now();
    const big = await postReport(t, maker, `${base()}/builds`, { workshop: 'fundi-ke', outcome: 'success' }, [
      { name: 'ok.png', bytes: await plainPng() },
      { name: 'huge.png', bytes: bomb },
    ]);
    const ms = performance.now() - t0;
    expect(big.statusCode).toBe(413);
    expect(big.json().detail).toMatch(/30000 × 30000/);
    expect(ms).toBeLessThan(1000);
    expect(await countReports(t)).toBe(before);

    // JPEG magic then garbage, larger than the sniffed head: stored, then its job fails with a sentence
    const broken = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(80_000, 7)]);
    const r = await postReport(t, maker, `${base()}/builds`, { workshop: 'fundi-ke', outcome: 'success' }, [
      { name: 'broken.jpg', bytes: broken },
    ]);
    expect(r.statusCode).toBe(201);
    const doc = await waitPhotos(t, r.json().id);
    expect(doc.photos[0].state).toBe('failed');
    expect(doc.photos[0].error).toMatch(/could not be decoded as JPEG/);
    expect((await t.app.inject({ url: doc.photos[0].variants.large })).statusCode).toBe(404);
    const { createHash } = await import('node:crypto');
    expect(await t.deps.blobs.has(createHash('sha256').update(broken).digest('hex'))).toBe(false);
  }, 60_000);
});
