/**
 * A company's document template: which design, colour, font and texts its
 * invoices, credit notes (and later reminders) are printed with.
 */

export const DOCUMENT_DESIGNS = ['classic', 'modern', 'compact'] as const;
export type DocumentDesign = (typeof DOCUMENT_DESIGNS)[number];

/** The shipped font set (DejaVu, which has æøå, the no-break space and U+2212). */
export const DOCUMENT_FONTS = ['sans', 'serif', 'condensed'] as const;
export type DocumentFont = (typeof DOCUMENT_FONTS)[number];

/** Items a company may leave off its documents. Everything the law requires is always printed. */
export const OPTIONAL_FIELDS = [
  'ourReference',
  'buyerReference',
  'orderReference',
  'deliveryAddress',
  'customerNumber',
  'sellerContact',
  'productNumbers',
] as const;
export type OptionalField = (typeof OPTIONAL_FIELDS)[number];

export interface TemplateSettings {
  design: DocumentDesign;
  /** `#rrggbb`, lower case. */
  accentColor: string;
  font: DocumentFont;
  /** Printed under the title on the first page. */
  headerText: string | null;
  /** Printed at the foot of every page. */
  footerText: string | null;
  /** Printed in the payment box. */
  paymentText: string | null;
  showFields: Record<OptionalField, boolean>;
}

export const DEFAULT_SHOW_FIELDS: Readonly<Record<OptionalField, boolean>> = {
  ourReference: true,
  buyerReference: true,
  orderReference: true,
  deliveryAddress: true,
  customerNumber: true,
  sellerContact: true,
  productNumbers: false,
};

export const DEFAULT_TEMPLATE_SETTINGS: Readonly<TemplateSettings> = {
  design: 'classic',
  accentColor: '#1f4e79',
  font: 'sans',
  headerText: null,
  footerText: null,
  paymentText: null,
  showFields: DEFAULT_SHOW_FIELDS,
};

export const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

export function isHexColor(value: string): boolean {
  return HEX_COLOR.test(value);
}

/** Relative luminance (WCAG 2) of `#rrggbb`, 0 (black) … 1 (white). */
export function luminance(hex: string): number {
  const channel = (offset: number) => {
    const value = Number.parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** White or near-black text, whichever reads better on `background`. */
export function contrastingText(background: string): string {
  const light = luminance(background);
  // Contrast ratio against white vs. against #1a1a1a (luminance ≈ 0.0103).
  const withWhite = 1.05 / (light + 0.05);
  const withDark = (light + 0.05) / 0.0603;
  return withWhite >= withDark ? '#ffffff' : '#1a1a1a';
}

/**
 * `hex` mixed with white: `amount` 0 gives the colour, 1 gives white.
 *
 * @example tint('#000000', 0.5) // '#808080'
 */
export function tint(hex: string, amount: number): string {
  const mix = (offset: number) => {
    const value = Number.parseInt(hex.slice(offset, offset + 2), 16);
    return Math.round(value + (255 - value) * amount)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${mix(1)}${mix(3)}${mix(5)}`;
}
