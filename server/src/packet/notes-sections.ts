// The short chapters: safety notes from the manifest, assembly instructions from the README or its
// translation, field notes from builds.
import { fonts } from './fonts.js';
import { colors, type PacketWriter } from './layout.js';
import type { PacketData } from './data.js';
import { drawMarkdown } from './markdown.js';

/** A warning framed in the warning colour across the column: what a reader must not miss. */
function drawWarning(w: PacketWriter, text: string): void {
  const doc = w.doc;
  doc.font(fonts.bold).fontSize(10);
  const h = doc.heightOfString(text, { width: w.width - 20 }) + 14;
  w.ensureSpace(h + 10);
  const y = doc.y;
  doc.rect(w.left, y, w.width, h).lineWidth(1.5).strokeColor(colors.warn).stroke();
  doc
    .font(fonts.bold)
    .fontSize(10)
    .fillColor(colors.warn)
    .text(text, w.left + 10, y + 7, { width: w.width - 20 });
  doc.x = w.left;
  doc.y = y + h + 10;
}

export function drawSafetySection(w: PacketWriter, data: PacketData): void {
  const { t } = w;
  w.section(t('safety.title'));
  const notes = Array.isArray(data.manifest.safety)
    ? data.manifest.safety.filter((n): n is string => typeof n === 'string' && n.trim() !== '')
    : [];
  if (data.manifest.safetyCritical === true) drawWarning(w, t('safety.critical'));
  if (notes.length === 0) {
    w.text(t('safety.none'), { color: colors.muted });
    return;
  }
  for (const note of notes) {
    w.ensureSpace(30);
    const y = w.doc.y;
    w.doc
      .font(fonts.bold)
      .fontSize(12)
      .fillColor(colors.warn)
      .text('⚠', w.rtl ? w.right - 16 : w.left, y - 1, { width: 16, lineBreak: false });
    w.doc.y = y;
    w.text(note, w.rtl ? { width: w.width - 20, size: 10, gap: 7 } : { indent: 20, size: 10, gap: 7 });
  }
}

/** The translation in the packet's language when the version has one (stale: marked so above it), else the README. */
export function drawInstructionsSection(w: PacketWriter, data: PacketData): void {
  const { t, f } = w;
  w.section(t('instructions.title'));
  const tr = data.translation;
  if (tr) {
    const values = {
      source: tr.source.path,
      language: f.language(tr.source.lang),
      path: tr.path,
      version: data.version,
      follows: tr.follows ?? '',
      changedIn: tr.changedIn ?? '',
    };
    w.text(t('instructions.translated', values), { size: 8, color: colors.muted, gap: 6 });
    if (tr.stale)
      drawWarning(
        w,
        tr.follows && tr.changedIn ? t('instructions.stale', values) : t('instructions.staleUnknown', values),
      );
    drawMarkdown(w, tr.markdown, { tocHeadings: true, skipTitle: true });
    return;
  }
  if (!data.readme) {
    w.text(t('instructions.none'), { font: fonts.italic, color: colors.muted });
    return;
  }
  w.text(t('instructions.source', { path: data.readme.path, version: data.version }), {
    size: 8,
    color: colors.muted,
    gap: 6,
  });
  drawMarkdown(w, data.readme.markdown, { tocHeadings: true, skipTitle: true });
}

export function drawFieldSection(w: PacketWriter, data: PacketData): void {
  const { t, f: fmt } = w;
  w.section(t('field.title'));
  const f = data.field;
  if (!f || f.builds.approved === 0) {
    const reported = f?.builds.total ?? 0;
    w.text(reported ? t('field.noneWaiting', { reported, n: fmt.count(reported) }) : t('field.none'), {
      color: colors.muted,
    });
    return;
  }
  const by = f.builds.byOutcome;
  w.text(
    t('field.builds', {
      approved: f.builds.approved,
      n: fmt.count(f.builds.approved),
      total: fmt.count(f.builds.total),
      success: fmt.count(by.success),
      partial: fmt.count(by.partial),
      failed: fmt.count(by.failed),
    }),
    { size: 10, gap: 6 },
  );
  if (f.hours.median !== null) {
    const hours = fmt.decimal(f.hours.median, 1);
    w.text(
      f.hours.reports
        ? t('field.hoursFrom', { hours, reports: f.hours.reports, n: fmt.count(f.hours.reports) })
        : t('field.hours', { hours }),
      { size: 10, gap: 6 },
    );
  }
  for (const c of f.cost) {
    const values = {
      cost: fmt.money(c.median, c.currency),
      perUnit: c.medianPerUnit ? fmt.money(c.medianPerUnit, c.currency) : '',
      reports: c.reports ?? 0,
      n: fmt.count(c.reports ?? 0),
    };
    w.text(
      c.medianPerUnit
        ? c.reports
          ? t('field.costPerUnitFrom', values)
          : t('field.costPerUnit', values)
        : c.reports
          ? t('field.costFrom', values)
          : t('field.cost', values),
      { size: 10, gap: 6 },
    );
  }
  if (f.workshops?.length)
    w.text(
      t('field.builtBy', {
        workshops: f.workshops
          .slice(0, 30)
          .map((x) =>
            x.instance
              ? t('field.workshopOn', {
                  name: x.name,
                  country: fmt.country(x.country),
                  instance: x.instance,
                  approved: fmt.count(x.approved),
                })
              : t('field.workshop', { name: x.name, country: fmt.country(x.country), approved: fmt.count(x.approved) }),
          )
          .join('; '),
      }),
      { size: 10, gap: 6 },
    );
  if (f.substitutions.length === 0) {
    w.text(t('field.noSubstitutions'), { color: colors.muted });
    return;
  }
  w.subsection(t('field.substitutions'), { toc: false, keep: 60 });
  w.table(
    [
      { header: t('field.column.line'), width: w.width * 0.34 },
      { header: t('field.column.instead'), width: w.width * 0.36 },
      { header: t('field.column.builds'), width: w.width * 0.1, align: 'right' },
      { header: t('field.column.where'), width: w.width * 0.2 },
    ],
    f.substitutions.slice(0, 40).map((s) => ({
      cells: [
        `${s.position} ${s.name ?? ''}`,
        s.substitute.name,
        t('field.countOf', { count: fmt.count(s.count), of: fmt.count(s.of) }),
        Object.entries(s.countries ?? {})
          .map(([c, n]) => `${c} ${fmt.count(n)}`)
          .join(', '),
      ],
    })),
    { size: 8 },
  );
}
