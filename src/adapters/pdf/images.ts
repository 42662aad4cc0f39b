import { createHash } from 'node:crypto';
import zlib from 'node:zlib';

/**
 * Logos prepared once per process: the image XObject's dictionary and its
 * (already compressed) stream, so each document only copies bytes. pdfkit would
 * otherwise decode a PNG with transparency, split off its alpha channel and
 * compress both again for every single document.
 *
 * JPEG passes through (DCTDecode). PNG without transparency passes its IDAT data
 * through with the PNG predictor. 8-bit PNG with an alpha channel or a
 * transparent palette is decoded here once; anything else (16-bit with alpha,
 * interlaced, low-bit palettes with transparency) is left to pdfkit.
 */

export interface PreparedImage {
  width: number;
  height: number;
  dictionary: Record<string, unknown>;
  data: Uint8Array;
  softMask: { dictionary: Record<string, unknown>; data: Uint8Array } | null;
}

/** What pdfkit's `doc.image()` accepts as an already-opened image (duck-typed). */
export interface PdfkitImage {
  width: number;
  height: number;
  label: string;
  obj: unknown;
  embed(document: { ref(data?: Record<string, unknown>): { end(data?: Uint8Array): void } }): void;
}

const CACHE_LIMIT = 32;
const cache = new Map<string, PreparedImage | null>();

function readUint32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;
}

function jpeg(bytes: Uint8Array): PreparedImage | null {
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return null;
    const marker = bytes[offset + 1]!;
    const length = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const bits = bytes[offset + 4]!;
      const height = (bytes[offset + 5]! << 8) | bytes[offset + 6]!;
      const width = (bytes[offset + 7]! << 8) | bytes[offset + 8]!;
      const components = bytes[offset + 9]!;
      const colorSpace = components === 1 ? 'DeviceGray' : components === 4 ? 'DeviceCMYK' : 'DeviceRGB';
      const dictionary: Record<string, unknown> = {
        Type: 'XObject',
        Subtype: 'Image',
        BitsPerComponent: bits,
        Width: width,
        Height: height,
        ColorSpace: colorSpace,
        Filter: 'DCTDecode',
      };
      // Adobe CMYK JPEGs are stored inverted (as pdfkit does).
      if (colorSpace === 'DeviceCMYK') dictionary.Decode = [1, 0, 1, 0, 1, 0, 1, 0];
      return { width, height, dictionary, data: bytes, softMask: null };
    }
    offset += 2 + length;
  }
  return null;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

/** Reverses the PNG scanline filters (8-bit samples, `bpp` bytes per pixel). */
function unfilter(data: Uint8Array, width: number, height: number, bpp: number): Uint8Array {
  const stride = width * bpp;
  const out = new Uint8Array(stride * height);
  let input = 0;
  for (let row = 0; row < height; row++) {
    const filter = data[input++];
    const start = row * stride;
    const previous = start - stride;
    for (let column = 0; column < stride; column++) {
      const raw = data[input++]!;
      const left = column >= bpp ? out[start + column - bpp]! : 0;
      const up = row > 0 ? out[previous + column]! : 0;
      const upLeft = row > 0 && column >= bpp ? out[previous + column - bpp]! : 0;
      let value: number;
      switch (filter) {
        case 0: value = raw; break;
        case 1: value = raw + left; break;
        case 2: value = raw + up; break;
        case 3: value = raw + ((left + up) >> 1); break;
        case 4: value = raw + paeth(left, up, upLeft); break;
        default: throw new Error(`Unknown PNG filter ${filter}`);
      }
      out[start + column] = value & 0xff;
    }
  }
  return out;
}

function png(bytes: Uint8Array): PreparedImage | null {
  let offset = 8;
  let width = 0;
  let height = 0;
  let bitDepth = 0;
  let colorType = 0;
  let interlace = 0;
  let palette: Uint8Array | null = null;
  let transparency: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  while (offset + 8 <= bytes.length) {
    const length = readUint32(bytes, offset);
    const type = String.fromCharCode(bytes[offset + 4]!, bytes[offset + 5]!, bytes[offset + 6]!, bytes[offset + 7]!);
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = readUint32(body, 0);
      height = readUint32(body, 4);
      bitDepth = body[8]!;
      colorType = body[9]!;
      interlace = body[12]!;
    } else if (type === 'PLTE') palette = body;
    else if (type === 'tRNS') transparency = body;
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  if (!width || !height || idat.length === 0 || interlace !== 0) return null;
  const compressed = Buffer.concat(idat);
  const colors = colorType === 0 || colorType === 4 ? 1 : colorType === 3 ? 1 : 3;
  const colorSpace: unknown =
    colorType === 3 && palette
      ? ['Indexed', 'DeviceRGB', palette.length / 3 - 1, palette]
      : colors === 1
        ? 'DeviceGray'
        : 'DeviceRGB';
  const base = { Type: 'XObject', Subtype: 'Image', Width: width, Height: height, ColorSpace: colorSpace, Filter: 'FlateDecode' };
  const hasAlpha = colorType === 4 || colorType === 6;
  const paletteAlpha = colorType === 3 && transparency !== null;

  if (!hasAlpha && !paletteAlpha) {
    const dictionary: Record<string, unknown> = {
      ...base,
      BitsPerComponent: bitDepth,
      DecodeParms: { Predictor: 15, Colors: colors, BitsPerComponent: bitDepth, Columns: width },
    };
    if (transparency && colorType === 0 && transparency.length >= 2) {
      const value = (transparency[0]! << 8) | transparency[1]!;
      dictionary.Mask = [value, value];
    } else if (transparency && colorType === 2 && transparency.length >= 6) {
      const mask: number[] = [];
      for (let index = 0; index < 6; index += 2) {
        const value = (transparency[index]! << 8) | transparency[index + 1]!;
        mask.push(value, value);
      }
      dictionary.Mask = mask;
    }
    return { width, height, dictionary, data: compressed, softMask: null };
  }
  if (bitDepth !== 8) return null;

  const bpp = colorType === 6 ? 4 : colorType === 4 ? 2 : 1;
  const pixels = unfilter(zlib.inflateSync(compressed), width, height, bpp);
  const count = width * height;
  const alpha = new Uint8Array(count);
  let color: Uint8Array;
  if (paletteAlpha) {
    color = pixels;
    for (let index = 0; index < count; index++) alpha[index] = transparency![pixels[index]!] ?? 255;
  } else {
    color = new Uint8Array(count * colors);
    let source = 0;
    let target = 0;
    for (let index = 0; index < count; index++) {
      for (let channel = 0; channel < colors; channel++) color[target++] = pixels[source++]!;
      alpha[index] = pixels[source++]!;
    }
  }
  return {
    width,
    height,
    dictionary: { ...base, BitsPerComponent: 8 },
    data: zlib.deflateSync(color),
    softMask: {
      dictionary: {
        Type: 'XObject',
        Subtype: 'Image',
        Width: width,
        Height: height,
        BitsPerComponent: 8,
        ColorSpace: 'DeviceGray',
        Decode: [0, 1],
        Filter: 'FlateDecode',
      },
      data: zlib.deflateSync(alpha),
    },
  };
}

/** The prepared form of a PNG or JPEG, or null when pdfkit must handle it itself. Cached by content hash. */
export function prepareImage(bytes: Uint8Array): PreparedImage | null {
  const key = createHash('sha256').update(bytes).digest('hex');
  if (cache.has(key)) return cache.get(key)!;
  let prepared: PreparedImage | null = null;
  if (bytes[0] === 0xff && bytes[1] === 0xd8) prepared = jpeg(bytes);
  else if (bytes[0] === 0x89 && bytes[1] === 0x50) prepared = png(bytes);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, prepared);
  return prepared;
}

/** A fresh pdfkit image object for one document; embedding copies the prepared streams. */
export function toPdfkitImage(prepared: PreparedImage, label: string): PdfkitImage {
  return {
    width: prepared.width,
    height: prepared.height,
    label,
    obj: null,
    embed(document) {
      // A dictionary with a Filter already set is written as is: pdfkit does not compress it again.
      const image = document.ref({ ...prepared.dictionary });
      if (prepared.softMask) {
        const mask = document.ref({ ...prepared.softMask.dictionary });
        mask.end(prepared.softMask.data);
        (image as unknown as { data: Record<string, unknown> }).data.SMask = mask;
      }
      image.end(prepared.data);
      this.obj = image;
    },
  };
}
