/**
 * pdf.js (pdfjs-dist), loaded on first use so it stays out of the main bundle; its worker
 * is bundled by Vite and referenced by URL.
 */
type PdfJs = typeof import('pdfjs-dist');

let loading: Promise<PdfJs> | null = null;

export function loadPdfJs(): Promise<PdfJs> {
  loading ??= Promise.all([import('pdfjs-dist'), import('pdfjs-dist/build/pdf.worker.min.mjs?url')]).then(([pdfjs, worker]) => {
    pdfjs.GlobalWorkerOptions.workerSrc = worker.default;
    return pdfjs;
  });
  return loading;
}

/**
 * Renders page `pageNumber` of a PDF onto a new canvas `cssWidth` CSS pixels wide
 * (at the device's pixel ratio), so a render in progress never touches the visible one.
 */
export async function renderPdfPage(bytes: ArrayBuffer, cssWidth: number, pageNumber = 1): Promise<{ canvas: HTMLCanvasElement; pages: number }> {
  const pdfjs = await loadPdfJs();
  const document = await pdfjs.getDocument({ data: new Uint8Array(bytes) }).promise;
  try {
    const page = await document.getPage(pageNumber);
    const base = page.getViewport({ scale: 1 });
    // At least 2 device pixels per CSS pixel, so the small print of the preview stays readable.
    const ratio = Math.max(window.devicePixelRatio || 1, 2);
    const viewport = page.getViewport({ scale: (cssWidth / base.width) * ratio });
    const canvas = window.document.createElement('canvas');
    canvas.width = Math.round(viewport.width);
    canvas.height = Math.round(viewport.height);
    await page.render({ canvas, canvasContext: canvas.getContext('2d')!, viewport }).promise;
    return { canvas, pages: document.numPages };
  } finally {
    await document.destroy();
  }
}
