// The short chapters: safety notes from the manifest, assembly instructions from the README, field notes from builds.
import { fonts } from './fonts.js';
import { colors, type PacketWriter } from './layout.js';
import type { PacketData } from './data.js';
import { drawMarkdown } from './markdown.js';
import { decimal, money } from './format.js';

export function drawSafetySection(w: PacketWriter, data: PacketData): void {
  w.section('Safety notes');
  const notes = Array.isArray(data.manifest.safety)
    ? data.manifest.safety.filter((n): n is string => typeof n === 'string' && n.trim() !== '')
    : [];
  if (data.manifest.safetyCritical === true) {
    const doc = w.doc;
    const text =
      'This design is marked safety-critical by its maintainers. Build reports of it are approved only after a lead has checked their safety.';
    doc.font(fonts.bold).fontSize(10);
    const h = doc.heightOfString(text, { width: w.width - 20 }) + 14;
    const y = doc.y;
    doc.rect(w.left, y, w.width, h).lineWidth(1.5).strokeColor(colors.warn).stroke();
    doc.fillColor(colors.warn).text(text, w.left + 10, y + 7, { width: w.width - 20 });
    doc.x = w.left;
    doc.y = y + h + 10;
  }
  if (notes.length === 0) {
    w.text(
      "The design lists no safety notes. Follow your workshop's rules for cutting, welding, lifting and power, and wear the protection each process needs.",
      { color: colors.muted },
    );
    return;
  }
  for (const note of notes) {
    w.ensureSpace(30);
    const y = w.doc.y;
    w.doc
      .font(fonts.bold)
      .fontSize(12)
      .fillColor(colors.warn)
      .text('⚠', w.left, y - 1, { width: 16, lineBreak: false });
    w.doc.y = y;
    w.text(note, { indent: 20, size: 10, gap: 7 });
  }
}

export function drawInstructionsSection(w: PacketWriter, data: PacketData): void {
  w.section('Assembly instructions');
  if (!data.readme) {
    w.text('This version has no README.', { font: fonts.italic, color: colors.muted });
    return;
  }
  w.text(`From ${data.readme.path} of version ${data.version}.`, { size: 8, color: colors.muted, gap: 6 });
  drawMarkdown(w, data.readme.markdown, { tocHeadings: true, skipTitle: true });
}

export function drawFieldSection(w: PacketWriter, data: PacketData): void {
  w.section('Field notes');
  const f = data.field;
  if (!f || f.builds.approved === 0) {
    const reported = f?.builds.total ?? 0;
    w.text(
      `No approved builds yet${reported ? ` (${reported} ${reported === 1 ? 'report is' : 'reports are'} waiting for review)` : ''}. Once workshops report builds of this version and its maintainers approve them, their build times and substitutions appear here.`,
      { color: colors.muted },
    );
    return;
  }
  const by = f.builds.byOutcome;
  w.text(
    `${f.builds.approved} approved ${f.builds.approved === 1 ? 'build' : 'builds'} of ${f.builds.total} reported: ${by.success} succeeded, ${by.partial} partly, ${by.failed} failed.`,
    { size: 10, gap: 6 },
  );
  if (f.hours.median !== null)
    w.text(
      `Median build time: ${decimal(f.hours.median, 1)} hours${f.hours.reports ? ` (from ${f.hours.reports} ${f.hours.reports === 1 ? 'report' : 'reports'})` : ''}.`,
      { size: 10, gap: 6 },
    );
  for (const c of f.cost)
    w.text(
      `Median cost: ${money(c.median, c.currency)}${c.medianPerUnit ? ` (${money(c.medianPerUnit, c.currency)} per unit)` : ''}${c.reports ? ` from ${c.reports} ${c.reports === 1 ? 'report' : 'reports'}` : ''}.`,
      { size: 10, gap: 6 },
    );
  if (f.substitutions.length === 0) {
    w.text('No approved build substituted a part.', { color: colors.muted });
    return;
  }
  w.subsection('Common substitutions', { toc: false, keep: 60 });
  w.table(
    [
      { header: 'BOM line', width: w.width * 0.34 },
      { header: 'Used instead', width: w.width * 0.36 },
      { header: 'Builds', width: w.width * 0.1, align: 'right' },
      { header: 'Where', width: w.width * 0.2 },
    ],
    f.substitutions.slice(0, 40).map((s) => ({
      cells: [
        `${s.position} ${s.name ?? ''}`,
        s.substitute.name,
        `${s.count} of ${s.of}`,
        Object.entries(s.countries ?? {})
          .map(([c, n]) => `${c} ${n}`)
          .join(', '),
      ],
    })),
    { size: 8 },
  );
}
