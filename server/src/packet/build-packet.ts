// buildPacket: a version's build packet as one PDF — cover, contents, safety, BOM, cut list, drawings, parts,
// assembly instructions, field notes — with page numbers and embedded fonts.
import { PacketWriter } from './layout.js';
import { translator } from '../locales/translate.js';
import { packetFormat } from './format.js';
import type { PacketData } from './data.js';
import { drawCover } from './cover.js';
import { drawBomSection } from './bom-section.js';
import { drawCutListSection } from './cutlist-section.js';
import { drawDrawingsSection } from './drawings-section.js';
import { drawPartsSection } from './parts-section.js';
import { drawFieldSection, drawInstructionsSection, drawSafetySection } from './notes-sections.js';

/**
 * Bump when the packet's content or look changes: it is part of every cached packet's key. 3: a packet prints the
 * version's translation in its language (lang is in the key, and a version's translations are fixed at publish).
 */
export const PACKET_VERSION = 'andecha-packet-3';

export interface BuiltPacket {
  pdf: Buffer;
  pages: number;
  /** Chapter titles and their 1-based first pages. */
  contents: { title: string; page: number }[];
}

export interface BuildOptions {
  /** Uncompressed content streams (tests read the drawing operators). */
  compress?: boolean;
}

export async function buildPacket(data: PacketData, opts: BuildOptions = {}): Promise<BuiltPacket> {
  const lang = data.options.lang ?? 'en';
  const t = translator('packet', lang);
  const f = packetFormat(lang);
  const ref = `${data.owner}/${data.slug}@${data.version}`;
  const units = { units: data.options.units, n: f.count(data.options.units) };
  const w = new PacketWriter({
    paper: data.options.paper,
    compress: opts.compress ?? true,
    lang,
    title: t('meta.title', { title: data.title, version: data.version }),
    author: data.owner,
    subject: t('meta.subject', { ref, ...units }),
    keywords: [t('meta.keyword'), data.owner, data.slug, data.version, data.bom?.checksum ?? ''].join(', '),
    // the version's publication date, not now: the same inputs give the same bytes
    creationDate: data.publishedAt,
    running: t('meta.running', { title: data.title, ref, ...units }),
    source: data.url,
  });
  w.addPage('portrait', { bare: true });
  const coverPage = w.pageIndex;
  const contentsPage = w.reserveContents();
  drawSafetySection(w, data);
  const safetyPage = w.pageIndex + 1;
  drawBomSection(w, data);
  drawCutListSection(w, data);
  drawDrawingsSection(w, data);
  drawPartsSection(w, data);
  drawInstructionsSection(w, data);
  drawFieldSection(w, data);
  w.doc.switchToPage(coverPage);
  drawCover(w, data, { safetyPage });
  const contents = w.toc.filter((e) => e.level === 1).map((e) => ({ title: e.title, page: e.page + 1 }));
  const { pdf, pages } = await w.finish(contentsPage);
  return { pdf, pages, contents };
}
