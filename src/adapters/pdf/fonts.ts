import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as fontkit from 'fontkit';
import type { FontSpec } from '../../domain/document/drawing.js';
import type { DocumentFont } from '../../domain/document/template-settings.js';

/**
 * The shipped font set: DejaVu (from the `dejavu-fonts-ttf` package) in three
 * families, regular and bold. Every face is parsed ONCE per process with
 * `fontkit.create` and the font object is handed to pdfkit (a path or a Buffer
 * would be parsed again for every document, about 5× slower).
 */

const FILES: Record<DocumentFont, { regular: string; bold: string }> = {
  sans: { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' },
  serif: { regular: 'DejaVuSerif.ttf', bold: 'DejaVuSerif-Bold.ttf' },
  condensed: { regular: 'DejaVuSansCondensed.ttf', bold: 'DejaVuSansCondensed-Bold.ttf' },
};

/**
 * Characters every document's font subset contains, so most documents share one
 * subset that is encoded and compressed once per process (see pdfkit-renderer.ts):
 * printable ASCII, Norwegian and other common Latin letters, the no-break space,
 * U+2212, dashes, quotes, € and §. A character outside this set still prints; the
 * document then gets its own, larger subset.
 */
export const SUBSET_SEED =
  ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~' +
  '\u00a0ÆØÅæøåÄÖÜäöüÉÈÊËéèêëÁÀáàÓÒóòÍÌíìÚÙúùÑñÇçßŠšŽž§°×·«»–—‘’‚“”„…€•\u2212½¼¾²³µ¹±';

/** Layout runs shared by every document of a process are dropped and rebuilt after this many documents. */
const RUN_CACHE_DOCUMENTS = 400;

export interface LoadedFont {
  key: string;
  font: fontkit.Font;
  /** pdfkit's scale: glyph units → 1/1000 em. */
  scale: number;
  /** Glyphs of SUBSET_SEED (ligatures included), in a fixed order. */
  seed: fontkit.Glyph[];
  /** pdfkit-format layout runs by text, shared by all documents (pdfkit's `layoutCache`). */
  runs: Record<string, fontkit.GlyphRun>;
  documentsSinceReset: number;
}

let fontDirectory: string | undefined;
const loaded = new Map<string, LoadedFont>();

function directory(): string {
  if (!fontDirectory) {
    const require = createRequire(import.meta.url);
    fontDirectory = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  }
  return fontDirectory;
}

export function fontKey(spec: FontSpec): string {
  return `${spec.family}-${spec.bold ? 'bold' : 'regular'}`;
}

function seedGlyphs(font: fontkit.Font): fontkit.Glyph[] {
  const seen = new Map<number, fontkit.Glyph>();
  const add = (text: string) => {
    for (const glyph of font.layout(text).glyphs) if (glyph.id !== 0 && !seen.has(glyph.id)) seen.set(glyph.id, glyph);
  };
  for (const character of SUBSET_SEED) add(character);
  // Default OpenType features substitute ligatures in running text; seed them too.
  for (const ligature of ['fi', 'fl', 'ff', 'ffi', 'ffl']) add(ligature);
  return [...seen.values()];
}

/** The parsed face for a family and weight (parsed on first use, then kept). */
export function loadFont(spec: FontSpec): LoadedFont {
  const key = fontKey(spec);
  let entry = loaded.get(key);
  if (!entry) {
    const file = FILES[spec.family][spec.bold ? 'bold' : 'regular'];
    const font = fontkit.create(fs.readFileSync(path.join(directory(), file)));
    entry = { key, font, scale: 1000 / font.unitsPerEm, seed: seedGlyphs(font), runs: Object.create(null), documentsSinceReset: 0 };
    loaded.set(key, entry);
  }
  return entry;
}

/** Called once per document that uses the face: keeps the shared run cache bounded. */
export function noteDocument(font: LoadedFont): Record<string, fontkit.GlyphRun> {
  font.documentsSinceReset += 1;
  if (font.documentsSinceReset > RUN_CACHE_DOCUMENTS) {
    font.runs = Object.create(null);
    font.documentsSinceReset = 0;
  }
  return font.runs;
}

/**
 * A layout run exactly as pdfkit's EmbeddedFont.layoutRun makes it (positions in
 * 1/1000 em), so widths measured here and widths pdfkit uses are the same numbers.
 */
export function layoutRun(font: LoadedFont, text: string): fontkit.GlyphRun {
  let run = font.runs[text];
  if (run) return run;
  run = font.font.layout(text);
  for (let index = 0; index < run.positions.length; index++) {
    const position = run.positions[index]!;
    for (const key in position) position[key] = position[key]! * font.scale;
    position.advanceWidth = run.glyphs[index]!.advanceWidth * font.scale;
  }
  font.runs[text] = run;
  return run;
}

/** Width in 1/1000 em, split into runs at spaces and tabs the way pdfkit does. */
export function widthInThousandths(font: LoadedFont, text: string): number {
  let width = 0;
  let last = 0;
  for (let index = 0; index <= text.length; index++) {
    const atEnd = index === text.length;
    const character = text.charAt(index);
    if ((atEnd && last < index) || character === ' ' || character === '\t') {
      const end = atEnd ? index : index + 1;
      width += layoutRun(font, text.slice(last, end)).advanceWidth;
      last = end;
    }
  }
  return width;
}
