import zlib from 'node:zlib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * pdfjs reports a no-break space as a plain space in extracted text (the PDF maps
 * the glyph to U+00A0; see the ToUnicode checks in render.test.ts): compare with this.
 */
export function asExtracted(text: string): string {
  return text.replace(/\u00a0/g, ' ');
}

export interface ExtractedPage {
  width: number;
  height: number;
  /** Text lines, top to bottom; the pieces of one line joined with a space. */
  lines: string[];
  text: string;
}

export interface ExtractedPdf {
  pages: ExtractedPage[];
  /** All pages' text. */
  text: string;
  info: Record<string, unknown>;
}

/** Extracts the text of every page with pdfjs (legacy build for Node), grouped into lines by baseline. */
export async function extractPdf(bytes: Uint8Array): Promise<ExtractedPdf> {
  const document = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true, verbosity: 0 }).promise;
  try {
    const pages: ExtractedPage[] = [];
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      const [x0, y0, x1, y1] = page.view as [number, number, number, number];
      const content = await page.getTextContent();
      const rows = new Map<number, Array<{ x: number; text: string }>>();
      for (const item of content.items) {
        if (!('str' in item) || /^ *$/.test(item.str)) continue;
        const y = Math.round(item.transform[5] as number);
        const key = [...rows.keys()].find((existing) => Math.abs(existing - y) <= 2) ?? y;
        const row = rows.get(key) ?? [];
        row.push({ x: item.transform[4] as number, text: item.str });
        rows.set(key, row);
      }
      const lines = [...rows.entries()]
        .sort(([a], [b]) => b - a)
        .map(([, row]) =>
          row
            .sort((a, b) => a.x - b.x)
            .map((piece) => piece.text.trim())
            .join(' '),
        );
      pages.push({ width: x1 - x0, height: y1 - y0, lines, text: lines.join('\n') });
      page.cleanup();
    }
    const metadata = await document.getMetadata();
    return { pages, text: pages.map((page) => page.text).join('\n'), info: metadata.info as Record<string, unknown> };
  } finally {
    await document.destroy();
  }
}

/** The decompressed content streams of a PDF (to look for colours and images). */
export function contentStreams(bytes: Uint8Array): string {
  const source = Buffer.from(bytes).toString('latin1');
  const out: string[] = [];
  const pattern = /stream\r?\n/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(source))) {
    const start = match.index + match[0].length;
    const end = source.indexOf('endstream', start);
    if (end < 0) break;
    const raw = Buffer.from(source.slice(start, end), 'latin1');
    try {
      out.push(zlib.inflateSync(raw).toString('latin1'));
    } catch {
      out.push(raw.toString('latin1'));
    }
    pattern.lastIndex = end + 'endstream'.length;
  }
  return out.join('\n');
}
