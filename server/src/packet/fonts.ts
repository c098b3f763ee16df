// The packet's fonts: DejaVu TTFs from the dejavu-fonts-ttf package, embedded (subset) so Latin, Cyrillic and Greek print anywhere.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ttf = (name: string) => require.resolve(`dejavu-fonts-ttf/ttf/${name}.ttf`);

/** Font names used with doc.font(…), each registered from one TTF. */
export const fonts = {
  regular: 'DejaVuSans',
  bold: 'DejaVuSans-Bold',
  italic: 'DejaVuSans-Oblique',
  condensed: 'DejaVuSansCondensed',
  condensedBold: 'DejaVuSansCondensed-Bold',
  mono: 'DejaVuSansMono',
} as const;

export type FontName = (typeof fonts)[keyof typeof fonts];

/**
 * DejaVu Sans Oblique has no Arabic: a right-to-left packet prints its italics (notes, "no preview") upright, which is
 * also how Arabic sets emphasis in print.
 */
export function registerFonts(doc: PDFKit.PDFDocument, opts: { rtl?: boolean } = {}): void {
  for (const name of Object.values(fonts))
    doc.registerFont(name, ttf(opts.rtl && name === fonts.italic ? fonts.regular : name));
}
