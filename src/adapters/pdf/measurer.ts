import type { FontSpec, TextMeasurer } from '../../domain/document/drawing.js';
import { fontKey, type LoadedFont, loadFont, widthInThousandths } from './fonts.js';

const WIDTH_CACHE_LIMIT = 50_000;

/**
 * The TextMeasurer backed by the same fontkit faces pdfkit draws with, so the
 * pure layout measures exactly what the PDF will show.
 */
export function createFontkitMeasurer(): TextMeasurer {
  const widths = new Map<string, Map<string, number>>();
  const fonts = new Map<string, LoadedFont>();

  function faceOf(spec: FontSpec): LoadedFont {
    const key = fontKey(spec);
    let face = fonts.get(key);
    if (!face) {
      face = loadFont(spec);
      fonts.set(key, face);
    }
    return face;
  }

  return {
    widthOf(text, spec, size) {
      const key = fontKey(spec);
      let cache = widths.get(key);
      if (!cache) {
        cache = new Map();
        widths.set(key, cache);
      }
      let thousandths = cache.get(text);
      if (thousandths === undefined) {
        thousandths = widthInThousandths(faceOf(spec), text);
        if (cache.size >= WIDTH_CACHE_LIMIT) cache.clear();
        cache.set(text, thousandths);
      }
      return (thousandths * size) / 1000;
    },
    ascent(spec, size) {
      const face = faceOf(spec);
      return (face.font.ascent / face.font.unitsPerEm) * size;
    },
    descent(spec, size) {
      const face = faceOf(spec);
      return (-face.font.descent / face.font.unitsPerEm) * size;
    },
  };
}
