import {
  A4,
  type DrawnDocument,
  type DrawnPage,
  type DrawOp,
  type FontSpec,
  type TextAlign,
  type TextMeasurer,
  fitText,
  wrapText,
} from './drawing.js';
import { fillLabel } from './labels.js';
import type { DocumentFont } from './template-settings.js';
import type { DocumentViewModel, TableBlock, TextBlock } from './view-model.js';

/**
 * The layout engine the designs share: a page composer with a cursor, and the
 * blocks every document has (table with page breaks and a repeated header,
 * totals and VAT summary, notes, payment box, footer with "Side X av Y").
 * A design supplies a theme and draws its own first-page header; everything
 * here is pure and measured through the injected TextMeasurer.
 */

export interface Theme {
  font: DocumentFont;
  accent: string;
  /** Text on an accent-coloured background. */
  onAccent: string;
  /** Light tints of the accent for backgrounds. */
  accentSoft: string;
  accentFaint: string;
  text: string;
  muted: string;
  rule: string;
  markColor: string;
  sizes: { body: number; small: number; tableHeader: number; heading: number; grand: number };
  /** Line height as a multiple of the font size. */
  leading: number;
  margin: { top: number; right: number; bottom: number; left: number };
  tableHeader: 'underline' | 'filled';
  zebra: boolean;
  rowRules: boolean;
  cellPaddingX: number;
  cellPaddingY: number;
  totalsStyle: 'plain' | 'band';
  paymentStyle: 'outlined' | 'filled';
  /** Vertical gap between blocks. */
  gap: number;
}

export interface LineBox {
  height: number;
  /** Baseline offset from the top of the line box. */
  baseline: number;
}

/** A page composer: pages of operations and a cursor `y` that moves down the page. */
export class PageComposer {
  readonly pages: DrawnPage[] = [];
  private ops: DrawOp[] = [];
  y: number;
  readonly regular: FontSpec;
  readonly bold: FontSpec;
  /** Called after a page break to draw the continued page's header; it moves `y`. */
  onNewPage: (composer: PageComposer) => void = () => {};

  constructor(
    readonly theme: Theme,
    readonly measurer: TextMeasurer,
    /** Bottom of the content area (the footer lies below). */
    readonly bottom: number,
  ) {
    this.regular = { family: theme.font, bold: false };
    this.bold = { family: theme.font, bold: true };
    this.pages.push({ ops: this.ops });
    this.y = theme.margin.top;
  }

  get left(): number {
    return this.theme.margin.left;
  }

  get right(): number {
    return A4.width - this.theme.margin.right;
  }

  get width(): number {
    return this.right - this.left;
  }

  lineBox(font: FontSpec, size: number): LineBox {
    const ascent = this.measurer.ascent(font, size);
    const descent = this.measurer.descent(font, size);
    const height = size * this.theme.leading;
    return { height, baseline: (height - (ascent + descent)) / 2 + ascent };
  }

  widthOf(text: string, font: FontSpec, size: number): number {
    return this.measurer.widthOf(text, font, size);
  }

  text(text: string, x: number, baseline: number, options: { font?: FontSpec; size?: number; color?: string; align?: TextAlign } = {}): void {
    if (text === '') return;
    this.ops.push({
      kind: 'text',
      text,
      x,
      y: baseline,
      align: options.align ?? 'left',
      font: options.font ?? this.regular,
      size: options.size ?? this.theme.sizes.body,
      color: options.color ?? this.theme.text,
    });
  }

  rect(x: number, y: number, width: number, height: number, options: { fill?: string; stroke?: string; lineWidth?: number; radius?: number }): void {
    this.ops.push({
      kind: 'rect',
      x,
      y,
      width,
      height,
      fill: options.fill ?? null,
      stroke: options.stroke ?? null,
      lineWidth: options.lineWidth ?? 0.75,
      radius: options.radius ?? 0,
    });
  }

  line(x1: number, y1: number, x2: number, y2: number, color: string, width = 0.5): void {
    this.ops.push({ kind: 'line', x1, y1, x2, y2, color, width });
  }

  image(ref: string, x: number, y: number, width: number, height: number): void {
    this.ops.push({ kind: 'image', ref, x, y, width, height });
  }

  newPage(): void {
    this.ops = [];
    this.pages.push({ ops: this.ops });
    this.y = this.theme.margin.top;
    this.onNewPage(this);
  }

  /** Starts a new page unless `height` fits below the cursor. Returns true on a page break. */
  ensure(height: number): boolean {
    if (this.y + height <= this.bottom) return false;
    this.newPage();
    return true;
  }

  /** Draws wrapped lines from the cursor down; returns the lines' count. */
  paragraph(text: string, options: { x?: number; width?: number; font?: FontSpec; size?: number; color?: string; breakPages?: boolean } = {}): number {
    const font = options.font ?? this.regular;
    const size = options.size ?? this.theme.sizes.body;
    const x = options.x ?? this.left;
    const width = options.width ?? this.width;
    const box = this.lineBox(font, size);
    const lines = wrapText(text, width, font, size, this.measurer);
    for (const line of lines) {
      if (options.breakPages !== false) this.ensure(box.height);
      this.text(line, x, this.y + box.baseline, { font, size, color: options.color ?? this.theme.text });
      this.y += box.height;
    }
    return lines.length;
  }
}

/** Fits an image of `width`×`height` pixels into a box, keeping its aspect ratio. */
export function fitImage(width: number, height: number, maxWidth: number, maxHeight: number): { width: number; height: number } {
  const scale = Math.min(maxWidth / width, maxHeight / height);
  return { width: width * scale, height: height * scale };
}

/** Height of a label/value list drawn by `drawMetaList`. */
export function metaListHeight(composer: PageComposer, count: number): number {
  return count * composer.lineBox(composer.regular, composer.theme.sizes.body).height;
}

/** Label left, value right-aligned, one pair per line, between `x` and `x + width`. */
export function drawMetaList(composer: PageComposer, items: DocumentViewModel['meta'], x: number, width: number, top: number): number {
  const { theme } = composer;
  const box = composer.lineBox(composer.regular, theme.sizes.body);
  let y = top;
  for (const item of items) {
    composer.text(item.label, x, y + box.baseline, { color: theme.muted });
    // A long reference is shortened rather than run into its label.
    const room = width - composer.widthOf(item.label, composer.regular, theme.sizes.body) - 10;
    composer.text(fitText(item.value, room, composer.bold, theme.sizes.body, composer.measurer), x + width, y + box.baseline, {
      align: 'right',
      font: composer.bold,
    });
    y += box.height;
  }
  return y;
}

/** A party: small heading, bold name, lines. Returns the bottom. */
export function drawParty(
  composer: PageComposer,
  party: DocumentViewModel['recipient'],
  x: number,
  width: number,
  top: number,
  options: { size?: number; heading?: boolean; nameSize?: number } = {},
): number {
  const { theme } = composer;
  const size = options.size ?? theme.sizes.body;
  let y = top;
  if (options.heading !== false && party.heading) {
    const headingBox = composer.lineBox(composer.bold, theme.sizes.small);
    composer.text(party.heading.toUpperCase(), x, y + headingBox.baseline, { size: theme.sizes.small, color: theme.muted, font: composer.bold });
    y += headingBox.height + 1;
  }
  const nameSize = options.nameSize ?? size + 1;
  if (party.name) {
    for (const line of wrapText(party.name, width, composer.bold, nameSize, composer.measurer)) {
      const box = composer.lineBox(composer.bold, nameSize);
      composer.text(line, x, y + box.baseline, { font: composer.bold, size: nameSize });
      y += box.height;
    }
  }
  const box = composer.lineBox(composer.regular, size);
  for (const line of party.lines) {
    for (const piece of wrapText(line, width, composer.regular, size, composer.measurer)) {
      composer.text(piece, x, y + box.baseline, { size });
      y += box.height;
    }
  }
  return y;
}

interface ColumnLayout {
  x: number;
  width: number;
  align: 'left' | 'right';
  grow: boolean;
}

/** Column positions: fixed columns as wide as their widest cell, the growing column takes the rest. */
export function layoutColumns(
  composer: PageComposer,
  table: TableBlock,
  x: number,
  width: number,
  size: number,
  headerSize: number = composer.theme.sizes.tableHeader,
): ColumnLayout[] {
  const { theme } = composer;
  const pad = theme.cellPaddingX;
  const widths = table.columns.map((column, index) => {
    if (column.grow) return 0;
    let widest = composer.widthOf(column.label, composer.bold, headerSize);
    for (const row of table.rows) widest = Math.max(widest, composer.widthOf(row.cells[index] ?? '', composer.regular, size));
    return widest + 2 * pad;
  });
  const fixed = widths.reduce((sum, value) => sum + value, 0);
  const growIndex = table.columns.findIndex((column) => column.grow);
  if (growIndex >= 0) {
    widths[growIndex] = Math.max(width - fixed, 60);
  } else if (fixed < width && widths.length > 0) {
    // No growing column: spread the spare width over the columns.
    const extra = (width - fixed) / widths.length;
    for (let index = 0; index < widths.length; index++) widths[index]! += extra;
  }
  let cursor = x;
  return table.columns.map((column, index) => {
    const layout = { x: cursor, width: widths[index]!, align: column.align, grow: Boolean(column.grow) };
    cursor += widths[index]!;
    return layout;
  });
}

function drawTableHeader(composer: PageComposer, table: TableBlock, columns: ColumnLayout[], x: number, width: number, size: number): void {
  const { theme } = composer;
  const box = composer.lineBox(composer.bold, size);
  const height = box.height + 2 * theme.cellPaddingY;
  const filled = theme.tableHeader === 'filled';
  if (filled) composer.rect(x, composer.y, width, height, { fill: theme.accent });
  table.columns.forEach((column, index) => {
    const layout = columns[index]!;
    const anchor = layout.align === 'right' ? layout.x + layout.width - theme.cellPaddingX : layout.x + theme.cellPaddingX;
    composer.text(column.label, anchor, composer.y + theme.cellPaddingY + box.baseline, {
      font: composer.bold,
      size,
      color: filled ? theme.onAccent : theme.accent,
      align: layout.align,
    });
  });
  composer.y += height;
  if (!filled) composer.line(x, composer.y, x + width, composer.y, theme.accent, 1);
}

/**
 * Draws a table from the cursor. A row that does not fit moves to a new page,
 * where the header is drawn again; a row taller than a page is split between its
 * description lines.
 */
export function drawTable(
  composer: PageComposer,
  table: TableBlock,
  options: { x?: number; width?: number; size?: number; headerSize?: number; repeatHeader?: boolean } = {},
): void {
  const { theme } = composer;
  const x = options.x ?? composer.left;
  const width = options.width ?? composer.width;
  const size = options.size ?? theme.sizes.body;
  const headerSize = options.headerSize ?? theme.sizes.tableHeader;
  const columns = layoutColumns(composer, table, x, width, size, headerSize);
  const box = composer.lineBox(composer.regular, size);
  const headerHeight = composer.lineBox(composer.bold, headerSize).height + 2 * theme.cellPaddingY;

  const previousOnNewPage = composer.onNewPage;
  if (options.repeatHeader !== false) {
    composer.onNewPage = (page) => {
      previousOnNewPage(page);
      drawTableHeader(page, table, columns, x, width, headerSize);
    };
  }
  // The header never stands alone at the foot of a page: it needs one row below it.
  composer.ensure(headerHeight + box.height + 2 * theme.cellPaddingY);
  drawTableHeader(composer, table, columns, x, width, headerSize);

  table.rows.forEach((row, rowIndex) => {
    const wrapped = row.cells.map((cell, index) => {
      const layout = columns[index]!;
      return layout.grow ? wrapText(cell, layout.width - 2 * theme.cellPaddingX, composer.regular, size, composer.measurer) : [cell];
    });
    const lineCount = Math.max(1, ...wrapped.map((lines) => lines.length));
    let drawn = 0;
    let freshPage = false;
    while (drawn < lineCount) {
      const available = Math.floor((composer.bottom - composer.y - 2 * theme.cellPaddingY) / box.height);
      const wanted = lineCount - drawn;
      // Keep a row together when it fits on a page at all; split only rows taller than a page.
      const pageCapacity = Math.floor((composer.bottom - theme.margin.top - 2 * theme.cellPaddingY - headerHeight - 40) / box.height);
      if (available < Math.min(wanted, Math.max(1, pageCapacity)) && !freshPage) {
        composer.newPage();
        freshPage = true;
        continue;
      }
      freshPage = false;
      const take = Math.max(1, Math.min(wanted, available));
      const height = take * box.height + 2 * theme.cellPaddingY;
      if (theme.zebra && rowIndex % 2 === 1) composer.rect(x, composer.y, width, height, { fill: theme.accentFaint });
      wrapped.forEach((lines, index) => {
        const layout = columns[index]!;
        const anchor = layout.align === 'right' ? layout.x + layout.width - theme.cellPaddingX : layout.x + theme.cellPaddingX;
        const slice = layout.grow ? lines.slice(drawn, drawn + take) : drawn === 0 ? lines : [];
        slice.forEach((line, lineIndex) => {
          composer.text(line, anchor, composer.y + theme.cellPaddingY + lineIndex * box.height + box.baseline, {
            size,
            align: layout.align,
          });
        });
      });
      composer.y += height;
      if (theme.rowRules) composer.line(x, composer.y, x + width, composer.y, theme.rule, 0.5);
      drawn += take;
    }
  });
  composer.onNewPage = previousOnNewPage;
}

function tableWidth(composer: PageComposer, table: TableBlock, size: number): number {
  const columns = layoutColumns(composer, { ...table, columns: table.columns.map((column) => ({ ...column, grow: false })) }, 0, 0, size, size);
  return columns.reduce((sum, column) => sum + column.width, 0);
}

interface TotalRowLayout {
  font: FontSpec;
  size: number;
  box: LineBox;
  inset: number;
  /** The label, wrapped only when it does not fit beside the value. */
  labelLines: string[];
  detailLines: string[];
  detailSize: number;
  detailBox: LineBox;
  height: number;
}

function totalRowLayout(composer: PageComposer, row: DocumentViewModel['totals'][number], width: number): TotalRowLayout {
  const { theme } = composer;
  const grand = row.emphasis === 'grand';
  const size = grand ? theme.sizes.grand : theme.sizes.body;
  const font = row.emphasis === 'normal' ? composer.regular : composer.bold;
  const box = composer.lineBox(font, size);
  const inset = grand && theme.totalsStyle === 'band' ? 6 : 0;
  const room = Math.max(width - 2 * inset - composer.widthOf(row.value, font, size) - 8, 40);
  const labelLines =
    composer.widthOf(row.label, font, size) <= room ? [row.label] : wrapText(row.label, room, font, size, composer.measurer);
  const detailSize = theme.sizes.small;
  const detailBox = composer.lineBox(composer.regular, detailSize);
  const detailLines = row.detail ? wrapText(row.detail, width - 2 * inset, composer.regular, detailSize, composer.measurer) : [];
  const height = labelLines.length * box.height + detailLines.length * detailBox.height + (grand ? 6 : 0);
  return { font, size, box, inset, labelLines, detailLines, detailSize, detailBox, height };
}

function totalsWidthOf(composer: PageComposer): number {
  return Math.min(250, composer.width * 0.48);
}

function totalsHeight(composer: PageComposer, vm: DocumentViewModel): number {
  const width = totalsWidthOf(composer);
  return vm.totals.reduce((sum, row) => sum + totalRowLayout(composer, row, width).height, 0);
}

/**
 * The totals rows from `top`; returns the bottom. A row that does not fit below the cursor
 * (only when the block is taller than a page, e.g. very many allowances) goes to a new page.
 */
function drawTotals(composer: PageComposer, vm: DocumentViewModel, x: number, width: number, top: number): number {
  const { theme } = composer;
  let y = top;
  // Where the totals continue on a new page: a row that does not fit even there is drawn anyway.
  let pageStart = -1;
  for (const row of vm.totals) {
    const grand = row.emphasis === 'grand';
    const layout = totalRowLayout(composer, row, width);
    if (y + layout.height > composer.bottom && y !== pageStart) {
      composer.newPage();
      y = composer.y;
      pageStart = y;
    }
    const { font, size, box, inset } = layout;
    const labelHeight = layout.labelLines.length * box.height;
    let color = theme.text;
    if (grand) {
      y += 3;
      if (theme.totalsStyle === 'band') {
        composer.rect(x, y - 2, width, labelHeight + 4, { fill: theme.accent });
        color = theme.onAccent;
      } else {
        composer.line(x, y - 2, x + width, y - 2, theme.accent, 1.25);
      }
    }
    if (row.emphasis === 'strong') composer.line(x, y, x + width, y, theme.rule, 0.5);
    layout.labelLines.forEach((line, index) => {
      composer.text(line, x + inset, y + box.baseline, { font, size, color });
      if (index === 0) composer.text(row.value, x + width - inset, y + box.baseline, { font, size, color, align: 'right' });
      y += box.height;
    });
    for (const line of layout.detailLines) {
      composer.text(line, x + inset, y + layout.detailBox.baseline, { size: layout.detailSize, color: theme.muted });
      y += layout.detailBox.height;
    }
    y += grand ? 3 : 0;
  }
  return y;
}

/** VAT summary and totals, side by side when there is room, kept on one page. */
export function drawSummary(composer: PageComposer, vm: DocumentViewModel): void {
  const { theme } = composer;
  const totalsWidth = totalsWidthOf(composer);
  const summarySize = theme.sizes.small;
  const summaryBox = composer.lineBox(composer.regular, summarySize);
  const summaryRows = vm.vatSummary ? vm.vatSummary.rows.length + 1 : 0;
  const summaryHeight = vm.vatSummary
    ? composer.lineBox(composer.bold, theme.sizes.small).height + summaryRows * (summaryBox.height + 2 * theme.cellPaddingY)
    : 0;
  const leftWidth = composer.width - totalsWidth - 24;
  const sideBySide = !vm.vatSummary || tableWidth(composer, vm.vatSummary, summarySize) <= leftWidth;
  const height = sideBySide ? Math.max(summaryHeight, totalsHeight(composer, vm)) : summaryHeight + theme.gap + totalsHeight(composer, vm);
  composer.y += theme.gap;
  composer.ensure(height);
  const top = composer.y;
  let bottom = top;
  if (vm.vatSummary) {
    const captionBox = composer.lineBox(composer.bold, theme.sizes.small);
    composer.text(vm.vatSummary.caption ?? '', composer.left, composer.y + captionBox.baseline, {
      font: composer.bold,
      size: theme.sizes.small,
      color: theme.muted,
    });
    composer.y += captionBox.height;
    const width = sideBySide ? Math.min(leftWidth, tableWidth(composer, vm.vatSummary, summarySize) + 40) : composer.width;
    drawTable(composer, vm.vatSummary, { width, size: summarySize, headerSize: summarySize, repeatHeader: false });
    bottom = composer.y;
  }
  const totalsTop = sideBySide ? top : composer.y + theme.gap;
  const pagesBefore = composer.pages.length;
  const totalsBottom = drawTotals(composer, vm, composer.right - totalsWidth, totalsWidth, totalsTop);
  // Totals that went on to a new page end there, below whatever the VAT summary left on the page before.
  composer.y = composer.pages.length > pagesBefore ? totalsBottom : Math.max(bottom, totalsBottom);
}

export function drawTextBlocks(composer: PageComposer, blocks: TextBlock[]): void {
  const { theme } = composer;
  for (const block of blocks) {
    composer.y += theme.gap / 2;
    if (block.heading) {
      const box = composer.lineBox(composer.bold, theme.sizes.small);
      composer.ensure(box.height * 2);
      composer.text(block.heading, composer.left, composer.y + box.baseline, { font: composer.bold, size: theme.sizes.small, color: theme.muted });
      composer.y += box.height;
    }
    composer.paragraph(block.text, { font: block.emphasis ? composer.bold : composer.regular });
  }
}

/** Payment fields flow left to right in columns as wide as their content, wrapping to more rows when needed. */
function paymentLayout(composer: PageComposer, payment: NonNullable<DocumentViewModel['payment']>) {
  const { theme } = composer;
  const pad = 10;
  const gap = 18;
  const available = composer.width - 2 * pad;
  const headingBox = composer.lineBox(composer.bold, theme.sizes.body);
  const labelBox = composer.lineBox(composer.regular, theme.sizes.small);
  const valueSize = theme.sizes.body + 1.5;
  const valueBox = composer.lineBox(composer.bold, valueSize);
  const natural = payment.fields.map((field) =>
    Math.max(composer.widthOf(field.label, composer.regular, theme.sizes.small), composer.widthOf(field.value, composer.bold, valueSize)),
  );
  const rows: number[][] = [];
  let row: number[] = [];
  let used = 0;
  natural.forEach((width, index) => {
    if (row.length > 0 && used + gap + width > available) {
      rows.push(row);
      row = [];
      used = 0;
    }
    used += (row.length > 0 ? gap : 0) + width;
    row.push(index);
  });
  if (row.length > 0) rows.push(row);
  // Spread each row's spare width evenly, so the columns line up like a giro slip.
  const cells = rows.flatMap((indexes, rowIndex) => {
    const content = indexes.reduce((sum, index) => sum + natural[index]!, 0);
    const spare = (available - content) / indexes.length;
    let x = 0;
    return indexes.map((index) => {
      const cell = { index, row: rowIndex, x };
      x += natural[index]! + spare;
      return cell;
    });
  });
  const rowHeight = labelBox.height + valueBox.height + 4;
  const textLines = payment.text ? wrapText(payment.text, available, composer.regular, theme.sizes.small, composer.measurer) : [];
  const height = pad + headingBox.height + 4 + rows.length * rowHeight + textLines.length * labelBox.height + pad;
  return { pad, headingBox, labelBox, valueSize, valueBox, rowHeight, rows: rows.length, cells, textLines, height };
}

/** The payment box, anchored at the foot of the last page (like a giro slip). */
export function drawPaymentBox(composer: PageComposer, payment: NonNullable<DocumentViewModel['payment']>): void {
  const { theme } = composer;
  const layout = paymentLayout(composer, payment);
  if (composer.y + theme.gap + layout.height > composer.bottom) composer.newPage();
  const top = composer.bottom - layout.height;
  const x = composer.left;
  const width = composer.width;
  if (theme.paymentStyle === 'filled') {
    composer.rect(x, top, width, layout.height, { fill: theme.accentFaint });
    composer.rect(x, top, 4, layout.height, { fill: theme.accent });
  } else {
    composer.rect(x, top, width, layout.height, { stroke: theme.accent, lineWidth: 1.25, radius: 3 });
  }
  let y = top + layout.pad;
  composer.text(payment.heading, x + layout.pad, y + layout.headingBox.baseline, { font: composer.bold, color: theme.accent });
  y += layout.headingBox.height + 4;
  for (const cell of layout.cells) {
    const field = payment.fields[cell.index]!;
    const cellX = x + layout.pad + cell.x;
    const cellY = y + cell.row * layout.rowHeight;
    composer.text(field.label, cellX, cellY + layout.labelBox.baseline, { size: theme.sizes.small, color: theme.muted });
    composer.text(field.value, cellX, cellY + layout.labelBox.height + layout.valueBox.baseline, {
      font: composer.bold,
      size: layout.valueSize,
    });
  }
  y += layout.rows * layout.rowHeight;
  for (const line of layout.textLines) {
    composer.text(line, x + layout.pad, y + layout.labelBox.baseline, { size: theme.sizes.small });
    y += layout.labelBox.height;
  }
  composer.y = composer.bottom;
}

/** Wrapped footer lines and the height they need (template footer text first, then the seller's lines). */
export function footerLayout(measurer: TextMeasurer, theme: Theme, vm: DocumentViewModel) {
  const font: FontSpec = { family: theme.font, bold: false };
  const size = theme.sizes.small;
  const width = A4.width - theme.margin.left - theme.margin.right;
  const pageLabelWidth = measurer.widthOf(fillLabel(vm.pageLabel, { page: 888, pages: 888 }), font, size) + 16;
  const lines = [
    ...(vm.footerText ? wrapText(vm.footerText, width - pageLabelWidth, font, size, measurer) : []),
    ...vm.footerLines.flatMap((line) => wrapText(line, width - pageLabelWidth, font, size, measurer)),
  ];
  const lineHeight = size * theme.leading;
  return { lines, lineHeight, height: Math.max(1, lines.length) * lineHeight + 10 };
}

/** Draws footer, page label and marks on every page once the page count is known. */
export function finishPages(composer: PageComposer, vm: DocumentViewModel): void {
  const { theme, measurer } = composer;
  const footer = footerLayout(measurer, theme, vm);
  const count = composer.pages.length;
  const font: FontSpec = { family: theme.font, bold: false };
  const bold: FontSpec = { family: theme.font, bold: true };
  const size = theme.sizes.small;
  const top = A4.height - theme.margin.bottom - footer.height;
  const ascent = measurer.ascent(font, size);
  composer.pages.forEach((page, index) => {
    const ops = page.ops;
    ops.push({ kind: 'line', x1: composer.left, y1: top, x2: composer.right, y2: top, color: theme.rule, width: 0.5 });
    let y = top + 6;
    for (const line of footer.lines) {
      ops.push({ kind: 'text', text: line, x: composer.left, y: y + ascent, align: 'left', font, size, color: theme.muted });
      y += footer.lineHeight;
    }
    ops.push({
      kind: 'text',
      text: fillLabel(vm.pageLabel, { page: index + 1, pages: count }),
      x: composer.right,
      y: top + 6 + ascent,
      align: 'right',
      font,
      size,
      color: theme.muted,
    });
    // TEST / UTKAST: a red label at the top of every page.
    let markY = 10;
    for (const mark of vm.marks) {
      const markSize = 13;
      const captionSize = 8;
      const label = `${mark.text}`;
      const textWidth = measurer.widthOf(label, bold, markSize) + 10 + measurer.widthOf(mark.caption, font, captionSize);
      const width = textWidth + 20;
      const x = (A4.width - width) / 2;
      ops.push({ kind: 'rect', x, y: markY, width, height: 22, fill: theme.markColor, stroke: '#ffffff', lineWidth: 1, radius: 4 });
      const baseline = markY + 11 + measurer.ascent(bold, markSize) / 2 - 1;
      ops.push({ kind: 'text', text: label, x: x + 10, y: baseline, align: 'left', font: bold, size: markSize, color: '#ffffff' });
      ops.push({
        kind: 'text',
        text: mark.caption,
        x: x + 20 + measurer.widthOf(label, bold, markSize),
        y: baseline,
        align: 'left',
        font,
        size: captionSize,
        color: '#ffffff',
      });
      markY += 26;
    }
  });
}

/** The continued page's header: seller name left, "Faktura 1001 (forts.)" right, a rule. */
export function drawContinuationHeader(composer: PageComposer, vm: DocumentViewModel): void {
  const { theme } = composer;
  const box = composer.lineBox(composer.bold, theme.sizes.body);
  composer.text(vm.seller.name, composer.left, composer.y + box.baseline, { font: composer.bold });
  composer.text(vm.continuedTitle, composer.right, composer.y + box.baseline, { font: composer.bold, color: theme.accent, align: 'right' });
  composer.y += box.height + 4;
  composer.line(composer.left, composer.y, composer.right, composer.y, theme.accent, 1);
  composer.y += theme.gap;
}

export interface DesignParts {
  theme: Theme;
  /** Draws everything above the table on page one and leaves the cursor below it. */
  firstPage(composer: PageComposer, vm: DocumentViewModel): void;
}

/** Runs a design: first page, intro, the table, summary, notes, payment box, footers. */
export function composeDocument(vm: DocumentViewModel, measurer: TextMeasurer, parts: DesignParts): DrawnDocument {
  const { theme } = parts;
  const footer = footerLayout(measurer, theme, vm);
  const composer = new PageComposer(theme, measurer, A4.height - theme.margin.bottom - footer.height - 8);
  parts.firstPage(composer, vm);
  composer.onNewPage = (page) => drawContinuationHeader(page, vm);
  if (vm.headerText) {
    composer.y += theme.gap;
    composer.paragraph(vm.headerText, { color: theme.muted });
    composer.y += theme.gap / 2;
  }
  drawTextBlocks(composer, vm.intro);
  composer.y += theme.gap;
  if (vm.table.caption) {
    const box = composer.lineBox(composer.regular, theme.sizes.small);
    composer.text(vm.table.caption, composer.right, composer.y + box.baseline, { size: theme.sizes.small, color: theme.muted, align: 'right' });
    composer.y += box.height;
  }
  drawTable(composer, vm.table);
  drawSummary(composer, vm);
  drawTextBlocks(composer, vm.notes);
  if (vm.payment) drawPaymentBox(composer, vm.payment);
  finishPages(composer, vm);
  return {
    width: A4.width,
    height: A4.height,
    pages: composer.pages,
    title: vm.metadata.title,
    author: vm.metadata.author,
    subject: vm.metadata.subject,
    language: vm.language === 'nb' ? 'nb-NO' : 'en',
  };
}
