// Loads the sample field data of designs/samples.json: workshops with members, build reports with photos
// and their reviews — through the builds domain's own functions, as a workshop would through the API.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AppDeps } from '../hooks.js';
import type { Caller } from '../accounts/accounts.js';
import { findDesign } from '../registry/designs.js';
import { resolveVersion } from '../registry/versions.js';
import { createWorkshop, findWorkshop, addMember } from '../builds/workshops.js';
import { createReport, findReport } from '../builds/reports.js';
import { reviewReport } from '../builds/reviews.js';
import { sniffPhoto } from '../builds/photos.js';
import { validateReport } from '../builds/report-input.js';
import type { UploadedPhoto } from '../builds/photo-records.js';

export interface SampleWorkshop {
  slug: string;
  name: string;
  owner: string;
  members?: string[];
  place: { city: string; region?: string; country: string; lat?: number; lon?: number };
  processes: string[];
}

export interface SampleBuild {
  key: string;
  author: string;
  design: string;
  report: { lines?: SampleLine[]; [field: string]: unknown };
  photos?: string[];
  review?: {
    reviewer: string;
    decision: 'approve' | 'request-changes' | 'reject';
    comment: string;
    safetyChecked?: boolean;
  };
}

interface SampleLine {
  position: string | number;
  status?: string;
  part?: string;
  material?: string;
  reason?: string;
}

/** samples.json writes a substitution as {position, part?, material?, reason}; the report schema's line shape. */
function reportLine(l: SampleLine) {
  if (l.status) return l;
  const name = l.part ?? l.material;
  return name
    ? {
        position: String(l.position),
        status: 'substituted',
        substitute: { name, ...(l.material && l.part ? { material: l.material } : {}) },
        ...(l.reason ? { reason: l.reason } : {}),
      }
    : { position: String(l.position), status: 'skipped', ...(l.reason ? { reason: l.reason } : {}) };
}

export async function loadSampleField(
  deps: AppDeps,
  designsDir: string,
  meta: { workshops?: SampleWorkshop[]; builds?: SampleBuild[] },
  account: (handle: string) => Promise<Caller>,
): Promise<{ workshops: number; builds: number }> {
  const db = deps.db.db;
  let workshops = 0;
  let builds = 0;
  for (const w of meta.workshops ?? []) {
    const exists = await findWorkshop(db, w.slug).then(
      () => true,
      () => false,
    );
    if (exists) continue;
    const owner = await account(w.owner);
    const row = await createWorkshop(db, owner, { slug: w.slug, name: w.name, place: w.place, processes: w.processes });
    for (const m of w.members ?? []) {
      await account(m);
      await addMember(db, row, owner, m, 'member');
    }
    workshops++;
  }
  // builds are loaded once, with the workshops: a second load finds the workshops and stops above
  if (!workshops) return { workshops, builds };
  for (const b of meta.builds ?? []) {
    const [ref, version] = b.design.split('@');
    const [owner, slug] = ref.split('/');
    const design = await findDesign(db, owner, slug);
    const v = await resolveVersion(db, design, version);
    const author = await account(b.author);
    const photos: UploadedPhoto[] = [];
    for (const p of b.photos ?? []) {
      const path = join(designsDir, p);
      if (!existsSync(path)) continue;
      const bytes = readFileSync(path);
      photos.push({ ...(await deps.blobs.putBuffer(bytes)), format: sniffPhoto(bytes.subarray(0, 64), p) });
    }
    const report = validateReport({ ...b.report, lines: (b.report.lines ?? []).map(reportLine) });
    const row = await createReport(db, design, v, author, report, photos);
    if (b.review) await reviewReport(db, await findReport(db, row.id), await account(b.review.reviewer), b.review);
    for (const changed of deps.hooks.designChanged) await changed(db, design.id);
    builds++;
  }
  deps.pipeline?.wake();
  return { workshops, builds };
}
