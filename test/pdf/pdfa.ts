import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * What a test can check of a PDF/A-3 file without veraPDF (not available here): the
 * embedded files as pdf.js extracts them, the XMP packet and its PDF/A identification, the
 * Info dictionary, page sizes, and the structural items of ISO 19005-3 that show in the
 * file's uncompressed dictionaries (pdfkit writes no object streams): the header, the
 * output intent, a font program for every font descriptor, the associated-file entries,
 * the trailer ID and no encryption.
 */
export interface PdfAReport {
  attachments: Array<{ name: string; bytes: Buffer }>;
  xmp: string;
  pdfaPart: string | null;
  pdfaConformance: string | null;
  info: Record<string, unknown>;
  pageSizes: Array<[number, number]>;
  raw: {
    header: string;
    hasOutputIntent: boolean;
    fontDescriptors: number;
    embeddedFontPrograms: number;
    catalogAf: boolean;
    fileSpecs: number;
    fileSpecRelationships: string[];
    embeddedFileSubtypes: string[];
    embeddedFilesWithModDate: number;
    hasTrailerId: boolean;
    isEncrypted: boolean;
  };
}

export async function readPdfA(bytes: Uint8Array): Promise<PdfAReport> {
  const document = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true, verbosity: 0 }).promise;
  try {
    const found = ((await document.getAttachments()) ?? {}) as Record<string, { filename: string; content: Uint8Array }>;
    const attachments = Object.values(found).map((file) => ({ name: file.filename, bytes: Buffer.from(file.content) }));
    const metadata = await document.getMetadata();
    const xmp = metadata.metadata?.getRaw() ?? '';
    const pageSizes: Array<[number, number]> = [];
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      const [x0, y0, x1, y1] = page.view as [number, number, number, number];
      pageSizes.push([Math.round((x1 - x0) * 100) / 100, Math.round((y1 - y0) * 100) / 100]);
    }
    const source = Buffer.from(bytes).toString('latin1');
    const count = (pattern: RegExp) => source.match(pattern)?.length ?? 0;
    const embeddedFiles = [...source.matchAll(/\/Type \/EmbeddedFile\n([\s\S]*?)>>\n(?:stream|endobj)/g)].map((match) => match[1]!);
    return {
      attachments,
      xmp,
      pdfaPart: metadata.metadata?.get('pdfaid:part') ?? null,
      pdfaConformance: metadata.metadata?.get('pdfaid:conformance') ?? null,
      info: metadata.info as Record<string, unknown>,
      pageSizes,
      raw: {
        header: source.slice(0, 8),
        hasOutputIntent: /\/Type \/OutputIntent\n\/S \/GTS_PDFA1/.test(source) && /\/OutputIntents \[\d+ 0 R\]/.test(source),
        fontDescriptors: count(/\/Type \/FontDescriptor/g),
        embeddedFontPrograms: count(/\/FontFile[23]? \d+ 0 R/g),
        catalogAf: /\/Type \/Catalog[\s\S]*?\/AF \[[\d R]+\]/.test(source),
        fileSpecs: count(/\/Type \/Filespec/g),
        fileSpecRelationships: [...source.matchAll(/\/AFRelationship \/(\w+)/g)].map((match) => match[1]!),
        embeddedFileSubtypes: embeddedFiles.map((dictionary) => /\/Subtype \/(\S+)/.exec(dictionary)?.[1] ?? ''),
        embeddedFilesWithModDate: embeddedFiles.filter((dictionary) => /\/ModDate \(D:\d{14}Z\)/.test(dictionary)).length,
        hasTrailerId: /trailer\n<<[\s\S]*\/ID \[<[0-9a-f]+> <[0-9a-f]+>\]/.test(source),
        isEncrypted: /\/Encrypt /.test(source),
      },
    };
  } finally {
    await document.destroy();
  }
}

/** The A4 page size in PDF points, as pdfkit writes it. */
export const A4: [number, number] = [595.28, 841.89];
