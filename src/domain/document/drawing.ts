import type { DocumentFont } from './template-settings.js';

/**
 * What a design produces: pages of drawing operations in PDF points, origin at
 * the top left, y growing downwards. An adapter (src/adapters/pdf) executes them;
 * the design itself stays a pure function that can be tested with a fake measurer.
 */

export const A4 = { width: 595.28, height: 841.89 } as const;

export interface FontSpec {
  family: DocumentFont;
  bold: boolean;
}

/** Text metrics of the real fonts, injected so layout, wrapping and page breaking stay pure. */
export interface TextMeasurer {
  /** Advance width in points of `text` in `font` at `size` points. */
  widthOf(text: string, font: FontSpec, size: number): number;
  /** Distance from the baseline up to the top of the tallest glyphs, in points, at `size`. */
  ascent(font: FontSpec, size: number): number;
  /** Distance from the baseline down to the lowest descender (positive), in points, at `size`. */
  descent(font: FontSpec, size: number): number;
}

export type TextAlign = 'left' | 'right' | 'center';

export interface TextOp {
  kind: 'text';
  text: string;
  /** The anchor: the left edge, the right edge or the centre, as `align` says. */
  x: number;
  /** The baseline. */
  y: number;
  align: TextAlign;
  font: FontSpec;
  size: number;
  color: string;
}

export interface RectOp {
  kind: 'rect';
  x: number;
  y: number;
  width: number;
  height: number;
  fill: string | null;
  stroke: string | null;
  lineWidth: number;
  radius: number;
}

export interface LineOp {
  kind: 'line';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  color: string;
  width: number;
}

/** An image by reference (e.g. `logo`); the bytes travel beside the drawing, not in it. */
export interface ImageOp {
  kind: 'image';
  ref: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export type DrawOp = TextOp | RectOp | LineOp | ImageOp;

export interface DrawnPage {
  ops: DrawOp[];
}

export interface DrawnDocument {
  width: number;
  height: number;
  pages: DrawnPage[];
  /** PDF metadata. */
  title: string;
  author: string;
  subject: string;
  language: string;
}

/** The left edge of a text operation. */
export function leftOf(op: TextOp, measurer: TextMeasurer): number {
  if (op.align === 'left') return op.x;
  const width = measurer.widthOf(op.text, op.font, op.size);
  return op.align === 'right' ? op.x - width : op.x - width / 2;
}

/**
 * Breaks `text` into lines no wider than `maxWidth`: at spaces, keeping explicit
 * line breaks; a word longer than a whole line is cut between characters.
 *
 * @example wrapText('Konsulentbistand mars', 60, font, 9, measurer) // ['Konsulentbistand', 'mars']
 */
export function wrapText(text: string, maxWidth: number, font: FontSpec, size: number, measurer: TextMeasurer): string[] {
  const lines: string[] = [];
  for (const paragraph of text.replace(/\r\n?/g, '\n').split('\n')) {
    const words = paragraph.split(/ +/).filter((word) => word.length > 0);
    if (words.length === 0) {
      lines.push('');
      continue;
    }
    let current = '';
    for (const word of words) {
      const candidate = current ? `${current} ${word}` : word;
      if (measurer.widthOf(candidate, font, size) <= maxWidth) {
        current = candidate;
        continue;
      }
      if (current) lines.push(current);
      current = '';
      if (measurer.widthOf(word, font, size) <= maxWidth) {
        current = word;
        continue;
      }
      // A single word wider than the line: cut it where it no longer fits.
      let piece = '';
      for (const character of word) {
        if (piece && measurer.widthOf(piece + character, font, size) > maxWidth) {
          lines.push(piece);
          piece = '';
        }
        piece += character;
      }
      current = piece;
    }
    lines.push(current);
  }
  return lines;
}

/** Shortens `text` with an ellipsis so it fits `maxWidth`. */
export function fitText(text: string, maxWidth: number, font: FontSpec, size: number, measurer: TextMeasurer): string {
  if (measurer.widthOf(text, font, size) <= maxWidth) return text;
  let end = text.length;
  while (end > 0 && measurer.widthOf(`${text.slice(0, end)}…`, font, size) > maxWidth) end -= 1;
  return `${text.slice(0, end)}…`;
}
