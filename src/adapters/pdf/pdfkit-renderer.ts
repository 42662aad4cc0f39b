import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import PDFDocument from 'pdfkit';
import { type DrawnDocument, type FontSpec, leftOf, type TextMeasurer } from '../../domain/document/drawing.js';
import { fontKey, layoutRun, type LoadedFont, loadFont, noteDocument } from './fonts.js';
import { prepareImage, toPdfkitImage } from './images.js';
import { createFontkitMeasurer } from './measurer.js';

/**
 * Executes a DrawnDocument with pdfkit: text, rectangles, lines and images by
 * reference. A4, text extractable (embedded TrueType subsets with a ToUnicode
 * map). Deterministic: the creation date and the file ID come from the caller,
 * so the same input gives the same bytes.
 *
 * pdfkit owns the file structure (objects, pages, resources, font and image
 * embedding, xref); the page content streams are written here directly as PDF
 * operators, which is what pdfkit's own text()/rect() would write, minus their
 * per-call overhead (a second measuring pass, option objects, string-to-byte
 * conversion per operator).
 *
 * Speed (see bench/pdf.ts): fonts are parsed once per process; layout runs are
 * shared between documents; and each face embeds a fixed subset (SUBSET_SEED)
 * whose encoded, compressed font program and ToUnicode map are built once and
 * reused. This reaches into pdfkit 0.20's EmbeddedFont (`subset`, `widths`,
 * `unicode`, `layoutCache`, `encode`, `toUnicodeCmap`, and `embed`'s first
 * `ref()` being the font file); the rendering tests read the text of real output
 * back with pdfjs and fail if that ever changes.
 */

export interface RenderPdfOptions {
  /** Written as the document's CreationDate (the document's issue time). */
  creationDate: Date;
  /** Any stable string (e.g. the invoice id): the PDF file ID is derived from it. */
  documentKey: string;
  /** Images the drawing references, by reference name. */
  images?: Readonly<Record<string, Uint8Array>>;
  /**
   * Render as PDF/A-3b (ISO 19005-3) with these files embedded as associated files: PDF 1.7,
   * XMP metadata with `pdfaid:part` 3, the sRGB output intent, every font embedded (as always).
   */
  pdfA?: { attachments: ReadonlyArray<PdfAttachment> };
}

/** A file embedded in a PDF/A-3 document and associated with it (the catalog's /AF). */
export interface PdfAttachment {
  name: string;
  bytes: Uint8Array;
  mimeType: string;
  /** How the file relates to the document (ISO 32000-2 §14.13.2); e.g. `Alternative` for the same content as data. */
  relationship: 'Source' | 'Data' | 'Alternative' | 'Supplement' | 'Unspecified';
  description?: string;
}

interface PdfRef {
  data: Record<string, unknown>;
  compress: boolean;
  write(chunk: Uint8Array): void;
  end(chunk?: Uint8Array): void;
}

interface PdfkitDocumentInternals {
  _id: Uint8Array;
  _font: EmbeddedFontInternals;
  page: { content: PdfRef; fonts: Record<string, unknown>; xobjects: Record<string, unknown>; height: number };
  ref(data?: Record<string, unknown>): PdfRef;
}

interface EmbeddedFontInternals {
  id: string;
  scale: number;
  subset: { glyphs: number[]; mapping: Record<number, number>; includeGlyph(id: number): number; encode(): Uint8Array };
  widths: number[];
  unicode: number[][];
  layoutCache?: Record<string, unknown>;
  document: PdfkitDocumentInternals;
  embed(): void;
  toUnicodeCmap(): PdfRef;
  ref(): unknown;
  encode(text: string): [string[], Array<{ xAdvance: number; yAdvance: number; xOffset: number; yOffset: number; advanceWidth: number }>];
}

const CACHE_LIMIT = 64;

function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/**
 * The XMP properties mirroring the Info dictionary (PDF/A requires them to agree), as pdfkit's
 * MetadataMixin._addInfo writes them but with the values XML-escaped: pdfkit 0.20 inserts
 * them raw, so a company called "Fjord & Fjell AS" would make the XMP packet malformed.
 */
function addEscapedXmpInfo(this: { info: Record<string, unknown>; appendXML(xml: string, newline?: boolean): void }): void {
  const info = this.info;
  const text = (key: string) => (typeof info[key] === 'string' && info[key] !== '' ? escapeXml(info[key]) : null);
  const created = (info.CreationDate as Date).toISOString().split('.')[0] + 'Z';
  const parts = [
    `<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:CreateDate>${created}</xmp:CreateDate>` +
      `${text('Creator') ? `<xmp:CreatorTool>${text('Creator')}</xmp:CreatorTool>` : ''}</rdf:Description>`,
  ];
  const title = text('Title');
  const author = text('Author');
  const subject = text('Subject');
  if (title || author || subject) {
    parts.push(
      '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">' +
        (title ? `<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${title}</rdf:li></rdf:Alt></dc:title>` : '') +
        (author ? `<dc:creator><rdf:Seq><rdf:li>${author}</rdf:li></rdf:Seq></dc:creator>` : '') +
        (subject ? `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${subject}</rdf:li></rdf:Alt></dc:description>` : '') +
        '</rdf:Description>',
    );
  }
  parts.push(
    `<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"><pdf:Producer>${text('Producer') ?? ''}</pdf:Producer></rdf:Description>`,
  );
  for (const part of parts) this.appendXML(part);
}

function remember<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(key, value);
  }
  return value;
}

/**
 * A value pdfkit writes as is: PDFObject.convert falls back to `${value}` for objects
 * that are not plain (hence the toStringTag), so a pre-serialized array costs nothing.
 */
class RawPdf {
  constructor(private readonly text: string) {}
  get [Symbol.toStringTag](): string {
    return 'RawPdf';
  }
  toString(): string {
    return this.text;
  }
}

/** pdfkit's number format in dictionaries (PDFObject.number). */
function pdfNumber(value: number): string {
  return String(Math.round(value * 1e6) / 1e6);
}

const subsetPrograms = new WeakMap<LoadedFont, Map<string, Uint8Array>>();
const unicodeMaps = new WeakMap<LoadedFont, Map<string, Uint8Array>>();
const widthArrays = new WeakMap<LoadedFont, Map<string, RawPdf>>();
const seedStates = new WeakMap<LoadedFont, { glyphs: number[]; mapping: Record<number, number>; widths: number[]; unicode: number[][] }>();

function cacheOf<T>(store: WeakMap<LoadedFont, Map<string, T>>, face: LoadedFont): Map<string, T> {
  let cache = store.get(face);
  if (!cache) {
    cache = new Map();
    store.set(face, cache);
  }
  return cache;
}

function hex4(value: number): string {
  return value.toString(16).padStart(4, '0');
}

/** pdfkit's ToUnicode CMap for a font's gid → code points table (same text as EmbeddedFont.toUnicodeCmap). */
function toUnicodeCmapText(unicode: number[][]): string {
  const entries = unicode.map((codePoints) => {
    const encoded: string[] = [];
    for (let value of codePoints) {
      if (value > 0xffff) {
        value -= 0x10000;
        encoded.push(hex4(((value >>> 10) & 0x3ff) | 0xd800));
        value = 0xdc00 | (value & 0x3ff);
      }
      encoded.push(hex4(value));
    }
    return `<${encoded.join(' ')}>`;
  });
  const ranges: string[] = [];
  for (let start = 0; start < entries.length; start += 256) {
    const end = Math.min(start + 256, entries.length);
    ranges.push(`<${hex4(start)}> <${hex4(end - 1)}> [${entries.slice(start, end).join(' ')}]`);
  }
  return `/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo <<
  /Registry (Adobe)
  /Ordering (UCS)
  /Supplement 0
>> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000><ffff>
endcodespacerange
${ranges.length} beginbfrange
${ranges.join('\n')}
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end`;
}

/** Seeds a document's font with the shared subset and routes its font program and ToUnicode map through per-process caches. */
function prepareEmbeddedFont(embedded: EmbeddedFontInternals, face: LoadedFont): void {
  embedded.layoutCache = noteDocument(face) as Record<string, unknown>;
  // The seeded subset state is built once per face; each document gets cheap copies, and its
  // glyph mapping inherits the seeded entries through the prototype chain (new glyphs go on top).
  let seed = seedStates.get(face);
  if (!seed) {
    const glyphs = [...embedded.subset.glyphs];
    const mapping: Record<number, number> = Object.fromEntries(glyphs.map((id, index) => [id, index]));
    const widths = [...embedded.widths];
    const unicode = [...embedded.unicode];
    for (const glyph of face.seed) {
      mapping[glyph.id] = glyphs.length;
      glyphs.push(glyph.id);
      widths.push(glyph.advanceWidth * embedded.scale);
      unicode.push(glyph.codePoints);
    }
    seed = { glyphs, mapping, widths, unicode };
    seedStates.set(face, seed);
  }
  embedded.subset.glyphs = seed.glyphs.slice();
  embedded.subset.mapping = Object.create(seed.mapping) as Record<number, number>;
  embedded.widths = seed.widths.slice();
  embedded.unicode = seed.unicode.slice();
  const seeded = embedded.unicode.length;
  const subset = embedded.subset;
  const encode = subset.encode.bind(subset);
  subset.encode = () => remember(cacheOf(subsetPrograms, face), subset.glyphs.join(','), () => zlib.deflateSync(encode(), { level: 9 }));
  embedded.toUnicodeCmap = () => {
    const extra = embedded.unicode.slice(seeded).map((codePoints) => codePoints.join('.'));
    const data = remember(cacheOf(unicodeMaps, face), `${seeded}|${extra.join(',')}`, () =>
      zlib.deflateSync(Buffer.from(toUnicodeCmapText(embedded.unicode), 'latin1'), { level: 9 }),
    );
    const cmap = embedded.document.ref({ Filter: 'FlateDecode' });
    cmap.end(data);
    return cmap;
  };
  const embed = embedded.embed.bind(embedded);
  embedded.embed = () => {
    const document = embedded.document;
    const ref = document.ref;
    let first = true;
    document.ref = (data?: Record<string, unknown>) => {
      const created = ref.call(document, data);
      if (first) {
        // The first reference embed() makes is the font file: its program is compressed already.
        first = false;
        created.data.Filter = 'FlateDecode';
        created.compress = false;
      } else if (Array.isArray(created.data.W)) {
        // The descendant font's glyph widths: the same text for every document with the same subset.
        const extra = embedded.widths.slice(seeded).join(',');
        created.data.W = remember(cacheOf(widthArrays, face), `${embedded.widths.length}|${extra}`, () => new RawPdf(`[0 [${embedded.widths.map(pdfNumber).join(' ')}]]`));
      }
      return created;
    };
    try {
      embed();
    } finally {
      document.ref = ref;
    }
  };
}

/**
 * Compresses a finished page content stream now, with a fast zlib level (pdfkit would use
 * the default level 6 at the end): operators compress well either way.
 */
function compressContent(content: PdfRef & { buffer?: Uint8Array[] }): void {
  if (!content.compress || !content.buffer || content.buffer.length === 0) return;
  const compressed = zlib.deflateSync(Buffer.concat(content.buffer), { level: 3 });
  content.buffer = [compressed];
  content.data.Filter = 'FlateDecode';
  content.data.Length = compressed.length;
  content.compress = false;
}

/** A number as PDF content writes it: at most 4 decimals, no exponent. */
function num(value: number): string {
  const rounded = Math.round(value * 10_000) / 10_000;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

const colorCache = new Map<string, string>();

/** `#rrggbb` → `r g b` in 0…1. */
function rgb(hex: string): string {
  let value = colorCache.get(hex);
  if (!value) {
    const channel = (offset: number) => num(Number.parseInt(hex.slice(offset, offset + 2), 16) / 255);
    value = `${channel(1)} ${channel(3)} ${channel(5)}`;
    colorCache.set(hex, value);
  }
  return value;
}

/** The path of a rectangle with rounded corners (as pdfkit draws it). */
function roundedRectPath(x: number, y: number, width: number, height: number, radius: number): string {
  const r = Math.min(radius, 0.5 * width, 0.5 * height);
  const c = r * (1 - 0.5522847498);
  return [
    `${num(x + r)} ${num(y)} m`,
    `${num(x + width - r)} ${num(y)} l`,
    `${num(x + width - c)} ${num(y)} ${num(x + width)} ${num(y + c)} ${num(x + width)} ${num(y + r)} c`,
    `${num(x + width)} ${num(y + height - r)} l`,
    `${num(x + width)} ${num(y + height - c)} ${num(x + width - c)} ${num(y + height)} ${num(x + width - r)} ${num(y + height)} c`,
    `${num(x + r)} ${num(y + height)} l`,
    `${num(x + c)} ${num(y + height)} ${num(x)} ${num(y + height - c)} ${num(x)} ${num(y + height - r)} c`,
    `${num(x)} ${num(y + r)} l`,
    `${num(x)} ${num(y + c)} ${num(x + c)} ${num(y)} ${num(x + r)} ${num(y)} c`,
    'h',
  ].join('\n');
}

type GlyphPositions = ReturnType<EmbeddedFontInternals['encode']>[1];

/** Hex codes of a layout run whose glyphs all belong to the seeded subset (same in every document), by run. */
const seededHex = new WeakMap<object, string[] | null>();
const seedGids = new WeakMap<LoadedFont, Map<number, number>>();

/** Glyph id → CID of the seeded subset: seeds are included first, in order, after .notdef (CID 0). */
function seedGidOf(face: LoadedFont): Map<number, number> {
  let map = seedGids.get(face);
  if (!map) {
    map = new Map(face.seed.map((glyph, index) => [glyph.id, index + 1]));
    seedGids.set(face, map);
  }
  return map;
}

/**
 * What pdfkit's EmbeddedFont.encode returns (glyph codes as 4-digit hex, positions), from
 * the shared layout runs: a run made only of seeded glyphs has the same codes in every
 * document, so they are computed once; other glyphs are added to this document's subset.
 */
function encodeText(embedded: EmbeddedFontInternals, face: LoadedFont, text: string): [string[], GlyphPositions] {
  const codes: string[] = [];
  const positions: GlyphPositions = [];
  const seeds = seedGidOf(face);
  let last = 0;
  for (let index = 0; index <= text.length; index++) {
    const atEnd = index === text.length;
    const character = text.charAt(index);
    if (!((atEnd && last < index) || character === ' ' || character === '\t')) continue;
    const end = atEnd ? index : index + 1;
    const run = layoutRun(face, text.slice(last, end));
    last = end;
    let hex = seededHex.get(run);
    if (hex === undefined) {
      hex = run.glyphs.every((glyph) => seeds.has(glyph.id)) ? run.glyphs.map((glyph) => hex4(seeds.get(glyph.id)!)) : null;
      seededHex.set(run, hex);
    }
    if (hex) {
      for (const code of hex) codes.push(code);
    } else {
      for (const glyph of run.glyphs) {
        const gid = embedded.subset.includeGlyph(glyph.id);
        embedded.widths[gid] ??= glyph.advanceWidth * embedded.scale;
        embedded.unicode[gid] ??= glyph.codePoints;
        codes.push(hex4(gid));
      }
    }
    for (const position of run.positions) positions.push(position as unknown as GlyphPositions[number]);
  }
  return [codes, positions];
}

/** TJ elements of a layout run made only of seeded glyphs without offsets (the same in every document), by run. */
const seededTj = new WeakMap<object, string | null>();

/**
 * The TJ array elements for `text` when every run of it is seeded and has no glyph
 * offsets: `<codes> kerning` pairs, built once per run and then only joined. Null when
 * some run needs the general path (a new glyph, a mark positioned by offsets).
 */
function fastTj(face: LoadedFont, text: string): string | null {
  const seeds = seedGidOf(face);
  const parts: string[] = [];
  let last = 0;
  for (let index = 0; index <= text.length; index++) {
    const atEnd = index === text.length;
    const character = text.charAt(index);
    if (!((atEnd && last < index) || character === ' ' || character === '\t')) continue;
    const end = atEnd ? index : index + 1;
    const run = layoutRun(face, text.slice(last, end));
    last = end;
    let tj = seededTj.get(run);
    if (tj === undefined) {
      tj = null;
      const elements: string[] = [];
      let hex = '';
      let ok = true;
      run.glyphs.forEach((glyph, position) => {
        const gid = seeds.get(glyph.id);
        const place = run.positions[position]! as unknown as GlyphPositions[number];
        if (gid === undefined || place.xOffset || place.yOffset) ok = false;
        hex += hex4(gid ?? 0);
        const kerning = place.xAdvance - place.advanceWidth;
        if (kerning !== 0) {
          elements.push(`<${hex}> ${num(-kerning)}`);
          hex = '';
        }
      });
      if (hex) elements.push(`<${hex}> 0`);
      if (ok) tj = elements.join(' ');
      seededTj.set(run, tj);
    }
    if (tj === null) return null;
    if (tj) parts.push(tj);
  }
  return parts.join(' ');
}

/**
 * The TJ operators for one run of glyphs, with kerning and positioning exactly as
 * pdfkit's _fragment writes them. `x`, `y` are PDF (unflipped) coordinates.
 */
function textOperators(encoded: string[], positions: GlyphPositions, x: number, y: number, size: number, out: string[]): void {
  const scale = size / 1000;
  const commands: string[] = [];
  let last = 0;
  let hadOffset = false;
  const addSegment = (current: number) => {
    if (last < current) {
      const position = positions[current - 1]!;
      commands.push(`<${encoded.slice(last, current).join('')}> ${num(-(position.xAdvance - position.advanceWidth))}`);
    }
    last = current;
  };
  const flush = (index: number) => {
    addSegment(index);
    if (commands.length > 0) {
      out.push(`[${commands.join(' ')}] TJ`);
      commands.length = 0;
    }
  };
  let index = 0;
  for (; index < positions.length; index++) {
    const position = positions[index]!;
    if (position.xOffset || position.yOffset) {
      flush(index);
      out.push(`1 0 0 1 ${num(x + position.xOffset * scale)} ${num(y + position.yOffset * scale)} Tm`);
      flush(index + 1);
      hadOffset = true;
    } else {
      if (hadOffset) {
        out.push(`1 0 0 1 ${num(x)} ${num(y)} Tm`);
        hadOffset = false;
      }
      if (position.xAdvance - position.advanceWidth !== 0) addSegment(index + 1);
    }
    x += position.xAdvance * scale;
  }
  flush(index);
}

export interface PdfRenderer {
  measurer: TextMeasurer;
  render(drawing: DrawnDocument, options: RenderPdfOptions): Promise<Buffer>;
}

export function createPdfkitRenderer(): PdfRenderer {
  const measurer = createFontkitMeasurer();

  function render(drawing: DrawnDocument, options: RenderPdfOptions): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      const doc = new PDFDocument({
        // PDF/A-3b: pdfkit then writes the XMP packet (PDF ≥ 1.4 only) with pdfaid and the sRGB output intent.
        ...(options.pdfA ? { subset: 'PDF/A-3b' as const, pdfVersion: '1.7' as const } : {}),
        size: [drawing.width, drawing.height],
        margin: 0,
        autoFirstPage: false,
        compress: true,
        // No default font: pdfkit would load and parse Helvetica's metrics for every document.
        font: null as unknown as string,
        lang: drawing.language,
        displayTitle: true,
        info: {
          Title: drawing.title,
          Author: drawing.author,
          Subject: drawing.subject,
          Creator: 'Fakturaflyt',
          Producer: 'Fakturaflyt (PDFKit)',
          CreationDate: options.creationDate,
        },
      });
      const internals = doc as unknown as PdfkitDocumentInternals;
      if (options.pdfA) (doc as unknown as { _addInfo: typeof addEscapedXmpInfo })._addInfo = addEscapedXmpInfo;
      // A fixed file ID (the trailer's /ID), derived from the document, not from the clock.
      internals._id = createHash('md5').update(options.documentKey).digest();
      const chunks: Buffer[] = [];
      doc.on('data', (chunk: Buffer) => chunks.push(chunk));
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.on('error', reject);

      const fonts = new Map<string, { embedded: EmbeddedFontInternals; face: LoadedFont }>();
      const fontFor = (spec: FontSpec) => {
        const key = fontKey(spec);
        let font = fonts.get(key);
        if (!font) {
          const face = loadFont(spec);
          doc.registerFont(key, face.font as unknown as string);
          doc.font(key);
          font = { embedded: internals._font, face };
          prepareEmbeddedFont(font.embedded, face);
          fonts.set(key, font);
        }
        return font;
      };
      const images = new Map<string, ReturnType<typeof toPdfkitImage> | Uint8Array>();
      let imageCount = 0;

      try {
        for (const page of drawing.pages) {
          doc.addPage({ size: [drawing.width, drawing.height], margin: 0 });
          const pdfPage = internals.page;
          const height = drawing.height;
          // pdfkit starts each page with a flip to top-left coordinates (y down); operators below use those.
          // Consecutive texts share one text object in unflipped coordinates.
          const out: string[] = [];
          let fill = '';
          let inText = false;
          let textFont = '';
          let textSize = -1;
          const endText = () => {
            if (inText) {
              out.push('ET\nQ');
              inText = false;
              // Colours set inside q … Q are gone after Q.
              fill = '';
            }
          };
          for (const op of page.ops) {
            if (op.kind !== 'text') endText();
            switch (op.kind) {
              case 'text': {
                const { embedded, face } = fontFor(op.font);
                pdfPage.fonts[embedded.id] ??= embedded.ref();
                if (!inText) {
                  out.push(`q\n1 0 0 -1 0 ${num(height)} cm\nBT`);
                  inText = true;
                  textFont = '';
                }
                if (embedded.id !== textFont || op.size !== textSize) {
                  out.push(`/${embedded.id} ${num(op.size)} Tf`);
                  textFont = embedded.id;
                  textSize = op.size;
                }
                if (op.color !== fill) {
                  out.push(`${rgb(op.color)} rg`);
                  fill = op.color;
                }
                const x = leftOf(op, measurer);
                out.push(`1 0 0 1 ${num(x)} ${num(height - op.y)} Tm`);
                const tj = fastTj(face, op.text);
                if (tj !== null) {
                  out.push(`[${tj}] TJ`);
                } else {
                  const [encoded, positions] = encodeText(embedded, face, op.text);
                  textOperators(encoded, positions, x, height - op.y, op.size, out);
                }
                break;
              }
              case 'rect': {
                const path =
                  op.radius > 0 ? roundedRectPath(op.x, op.y, op.width, op.height, op.radius) : `${num(op.x)} ${num(op.y)} ${num(op.width)} ${num(op.height)} re`;
                if (op.fill && op.fill !== fill) {
                  out.push(`${rgb(op.fill)} rg`);
                  fill = op.fill;
                }
                if (op.stroke) out.push(`${num(op.lineWidth)} w\n${rgb(op.stroke)} RG`);
                out.push(`${path}\n${op.fill && op.stroke ? 'B' : op.fill ? 'f' : 'S'}`);
                break;
              }
              case 'line': {
                out.push(`${num(op.width)} w\n${rgb(op.color)} RG\n${num(op.x1)} ${num(op.y1)} m\n${num(op.x2)} ${num(op.y2)} l\nS`);
                break;
              }
              case 'image': {
                let image = images.get(op.ref);
                if (!image) {
                  const bytes = options.images?.[op.ref];
                  if (!bytes) break;
                  const prepared = prepareImage(bytes);
                  image = prepared ? toPdfkitImage(prepared, `I${++imageCount}`) : bytes;
                  images.set(op.ref, image);
                }
                if (image instanceof Uint8Array) {
                  // Not prepared (e.g. an interlaced PNG): pdfkit decodes and places it itself.
                  pdfPage.content.write(Buffer.from(`${out.join('\n')}\n`, 'latin1'));
                  out.length = 0;
                  doc.image(Buffer.from(image), op.x, op.y, { width: op.width, height: op.height });
                  fill = '';
                } else {
                  if (!image.obj) image.embed(internals);
                  pdfPage.xobjects[image.label] ??= image.obj;
                  out.push(`q\n${num(op.width)} 0 0 ${num(-op.height)} ${num(op.x)} ${num(op.y + op.height)} cm\n/${image.label} Do\nQ`);
                }
                break;
              }
            }
          }
          endText();
          pdfPage.content.write(Buffer.from(`${out.join('\n')}\n`, 'latin1'));
          compressContent(pdfPage.content);
        }
        for (const attachment of options.pdfA?.attachments ?? []) {
          // Dated like the document (not the clock), so the same input still gives the same bytes.
          doc.file(Buffer.from(attachment.bytes), {
            name: attachment.name,
            type: attachment.mimeType,
            relationship: attachment.relationship,
            ...(attachment.description ? { description: attachment.description } : {}),
            creationDate: options.creationDate,
            modifiedDate: options.creationDate,
          } as PDFKit.Mixins.PDFAttachmentOptions);
        }
        doc.end();
      } catch (error) {
        reject(error);
      }
    });
  }

  return { measurer, render };
}
