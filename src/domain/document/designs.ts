import { A4, type DrawnDocument, type TextMeasurer, wrapText } from './drawing.js';
import {
  composeDocument,
  type DesignParts,
  drawMetaList,
  drawParty,
  fitImage,
  type PageComposer,
  type Theme,
} from './layout.js';
import { contrastingText, type DocumentDesign, tint } from './template-settings.js';
import type { DocumentViewModel } from './view-model.js';

/**
 * The three designs. Each is a pure function from a view model and a text
 * measurer to pages of drawing operations; they share the layout engine and
 * differ in theme and in how page one is set.
 */

function baseTheme(vm: DocumentViewModel): Theme {
  const accent = vm.style.accentColor;
  return {
    font: vm.style.font,
    accent,
    onAccent: contrastingText(accent),
    accentSoft: tint(accent, 0.82),
    accentFaint: tint(accent, 0.93),
    text: '#1d1d1f',
    muted: '#5f6368',
    rule: '#c9cdd2',
    markColor: '#c62828',
    sizes: { body: 9, small: 7.5, tableHeader: 8, heading: 24, grand: 12 },
    leading: 1.32,
    margin: { top: 42, right: 48, bottom: 30, left: 48 },
    tableHeader: 'underline',
    zebra: false,
    rowRules: true,
    cellPaddingX: 4,
    cellPaddingY: 3,
    totalsStyle: 'plain',
    paymentStyle: 'outlined',
    gap: 12,
  };
}

/** Meta list on the right, recipient (and delivery address) on the left, from `top`; returns the bottom. */
function partiesAndMeta(composer: PageComposer, vm: DocumentViewModel, top: number, metaWidth: number): number {
  const gap = 28;
  const leftWidth = composer.width - metaWidth - gap;
  let left = drawParty(composer, vm.recipient, composer.left, leftWidth, top);
  if (vm.secondaryParty) {
    left = drawParty(composer, { ...vm.secondaryParty, name: '' }, composer.left, leftWidth, left + 8, { size: composer.theme.sizes.small });
  }
  const right = drawMetaList(composer, vm.meta, composer.right - metaWidth, metaWidth, top);
  return Math.max(left, right);
}

/** Classic: accent rule across the top, logo left, big title right with the seller under it. */
const classic = (vm: DocumentViewModel): DesignParts => {
  const theme = baseTheme(vm);
  return {
    theme,
    firstPage(composer) {
      const top = composer.y;
      composer.rect(composer.left, top, composer.width, 4, { fill: theme.accent });
      let leftBottom = top + 16;
      if (vm.style.logo) {
        const size = fitImage(vm.style.logo.width, vm.style.logo.height, 180, 60);
        composer.image(vm.style.logo.ref, composer.left, top + 16, size.width, size.height);
        leftBottom = top + 16 + size.height;
      } else {
        const box = composer.lineBox(composer.bold, 16);
        composer.text(vm.seller.name, composer.left, top + 16 + box.baseline, { font: composer.bold, size: 16, color: theme.accent });
        leftBottom = top + 16 + box.height;
      }
      const titleBox = composer.lineBox(composer.bold, theme.sizes.heading);
      composer.text(vm.title, composer.right, top + 12 + titleBox.baseline, {
        font: composer.bold,
        size: theme.sizes.heading,
        color: theme.accent,
        align: 'right',
      });
      let y = top + 12 + titleBox.height + 2;
      const small = composer.lineBox(composer.regular, theme.sizes.small + 0.5);
      composer.text(vm.seller.name, composer.right, y + small.baseline, { font: composer.bold, size: theme.sizes.small + 0.5, align: 'right' });
      y += small.height;
      for (const line of vm.seller.lines) {
        composer.text(line, composer.right, y + small.baseline, { size: theme.sizes.small + 0.5, align: 'right' });
        y += small.height;
      }
      composer.y = partiesAndMeta(composer, vm, Math.max(leftBottom, y) + 22, 210);
    },
  };
};

/** Modern: a full-width accent band with the title, three columns below, filled table header, zebra rows. */
const modern = (vm: DocumentViewModel): DesignParts => {
  const theme: Theme = {
    ...baseTheme(vm),
    tableHeader: 'filled',
    zebra: true,
    rowRules: false,
    cellPaddingY: 4,
    totalsStyle: 'band',
    paymentStyle: 'filled',
    sizes: { body: 9, small: 7.5, tableHeader: 8, heading: 28, grand: 12 },
  };
  return {
    theme,
    firstPage(composer) {
      const bandHeight = 118;
      composer.rect(0, 0, A4.width, bandHeight, { fill: theme.accent });
      const titleBox = composer.lineBox(composer.bold, theme.sizes.heading);
      const titleTop = 44;
      composer.text(vm.title, composer.left, titleTop + titleBox.baseline, {
        font: composer.bold,
        size: theme.sizes.heading,
        color: theme.onAccent,
      });
      if (vm.number) {
        const numberBox = composer.lineBox(composer.regular, 12);
        composer.text(vm.number, composer.left, titleTop + titleBox.height + numberBox.baseline, { size: 12, color: theme.onAccent });
      }
      if (vm.style.logo) {
        const size = fitImage(vm.style.logo.width, vm.style.logo.height, 150, 54);
        const boxWidth = size.width + 16;
        const boxHeight = size.height + 16;
        const x = composer.right - boxWidth;
        const y = (bandHeight - boxHeight) / 2 + 8;
        composer.rect(x, y, boxWidth, boxHeight, { fill: '#ffffff', radius: 4 });
        composer.image(vm.style.logo.ref, x + 8, y + 8, size.width, size.height);
      } else {
        const box = composer.lineBox(composer.bold, 14);
        composer.text(vm.seller.name, composer.right, titleTop + 8 + box.baseline, {
          font: composer.bold,
          size: 14,
          color: theme.onAccent,
          align: 'right',
        });
      }
      const top = bandHeight + 22;
      const columnGap = 20;
      const columnWidth = (composer.width - 2 * columnGap) / 3;
      const seller = drawParty(composer, vm.seller, composer.left, columnWidth, top, { size: theme.sizes.small + 0.5, nameSize: theme.sizes.body });
      let recipient = drawParty(composer, vm.recipient, composer.left + columnWidth + columnGap, columnWidth, top);
      if (vm.secondaryParty) {
        recipient = drawParty(composer, { ...vm.secondaryParty, name: '' }, composer.left + columnWidth + columnGap, columnWidth, recipient + 6, {
          size: theme.sizes.small,
        });
      }
      const meta = drawMetaList(composer, vm.meta, composer.right - columnWidth, columnWidth, top);
      composer.y = Math.max(seller, recipient, meta) + 6;
    },
  };
};

/** Compact: small type, a one-line header with a vertical accent bar, tight rows; many lines per page. */
const compact = (vm: DocumentViewModel): DesignParts => {
  const theme: Theme = {
    ...baseTheme(vm),
    sizes: { body: 8, small: 6.8, tableHeader: 7.2, heading: 16, grand: 10.5 },
    leading: 1.25,
    margin: { top: 36, right: 36, bottom: 24, left: 36 },
    cellPaddingX: 3,
    cellPaddingY: 1.5,
    rowRules: false,
    gap: 8,
  };
  return {
    theme,
    firstPage(composer) {
      const top = composer.y;
      const headerHeight = 40;
      composer.rect(composer.left, top, 5, headerHeight, { fill: theme.accent });
      let x = composer.left + 13;
      if (vm.style.logo) {
        const size = fitImage(vm.style.logo.width, vm.style.logo.height, 110, headerHeight);
        composer.image(vm.style.logo.ref, x, top + (headerHeight - size.height) / 2, size.width, size.height);
        x += size.width + 12;
      }
      const titleWidth = composer.widthOf(vm.title, composer.bold, theme.sizes.heading);
      const sellerWidth = composer.right - titleWidth - 16 - x;
      const nameBox = composer.lineBox(composer.bold, theme.sizes.body + 1);
      composer.text(vm.seller.name, x, top + nameBox.baseline, { font: composer.bold, size: theme.sizes.body + 1 });
      let y = top + nameBox.height;
      const small = composer.lineBox(composer.regular, theme.sizes.small);
      for (const line of wrapText(vm.seller.lines.join(' · '), sellerWidth, composer.regular, theme.sizes.small, composer.measurer)) {
        composer.text(line, x, y + small.baseline, { size: theme.sizes.small, color: theme.muted });
        y += small.height;
      }
      const titleBox = composer.lineBox(composer.bold, theme.sizes.heading);
      composer.text(vm.title, composer.right, top + titleBox.baseline, {
        font: composer.bold,
        size: theme.sizes.heading,
        color: theme.accent,
        align: 'right',
      });
      const headerBottom = Math.max(top + headerHeight, y);
      composer.line(composer.left, headerBottom + 6, composer.right, headerBottom + 6, theme.accent, 1.5);
      composer.y = partiesAndMeta(composer, vm, headerBottom + 16, 190);
    },
  };
};

const DESIGNS: Record<DocumentDesign, (vm: DocumentViewModel) => DesignParts> = { classic, modern, compact };

/**
 * Lays out a document in its design.
 *
 * @example renderDesign(buildInvoiceViewModel(input), measurer).pages.length // 1 for a 10-line invoice
 */
export function renderDesign(vm: DocumentViewModel, measurer: TextMeasurer): DrawnDocument {
  return composeDocument(vm, measurer, DESIGNS[vm.style.design](vm));
}
