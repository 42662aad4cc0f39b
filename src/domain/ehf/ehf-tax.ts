import { findVatCode, type VatCategory } from '../vat.js';

/**
 * VAT categories (UNCL5305) of an EHF document and the exemption reasons the
 * EN 16931 / Peppol BIS 3.0 rules ask for. The category of each line and VAT
 * breakdown entry is the one stored on the issued document (src/domain/vat.ts:
 * SAF-T code 3/31/33/32 → S, 5 → Z, 51 → AE, 52 → G, 6 → E, 7 → O; every line of
 * a seller not registered for VAT → O), so the XML cannot disagree with the PDF
 * or the journal.
 *
 * Exemption reasons (BT-120 text, BT-121 code), one per VAT breakdown entry:
 * - S, Z: none (BR-Z-10 forbids a reason for Z);
 * - AE: VATEX-EU-AE + the Norwegian marking "Omvendt avgiftsplikt" (BR-AE-10; mval § 11-1);
 * - G: VATEX-EU-G + "Utførsel …" (BR-G-10);
 * - O: VATEX-EU-O + why no VAT applies (BR-O-10): seller not registered, or the
 *   SAF-T code's own text for code 7;
 * - E: text only (BR-E-10). The VATEX-EU-* codes for E (D, F, I, J, 132…) name
 *   articles of the EU VAT directive, which Norwegian exempt turnover does not fall
 *   under, so no code is given;
 * - K: VATEX-EU-IC (not produced by any SAF-T sales code today).
 */

export const UNCL5305_CATEGORIES: readonly VatCategory[] = ['S', 'Z', 'E', 'AE', 'K', 'G', 'O'];

export function isVatCategory(value: string): value is VatCategory {
  return (UNCL5305_CATEGORIES as readonly string[]).includes(value);
}

/** Category O carries no VAT rate, on the lines (BR-O-05) or in the breakdown. */
export function hasNoRate(category: VatCategory): boolean {
  return category === 'O';
}

export interface ExemptionReason {
  code: string | null;
  text: string;
}

const TEXTS = {
  reverseCharge: { nb: 'Omvendt avgiftsplikt – Merverdiavgift ikke beregnet', en: 'Reverse charge (omvendt avgiftsplikt) – VAT not calculated' },
  notRegistered: { nb: 'Selger er ikke registrert i Merverdiavgiftsregisteret', en: 'The seller is not registered for VAT' },
  export: { nb: 'Utførsel av varer og tjenester', en: 'Export of goods and services' },
  intraCommunity: { nb: 'Fritatt (EØS)', en: 'Intra-community supply' },
  exempt: { nb: 'Unntatt fra merverdiavgift', en: 'Exempt from VAT' },
} as const;

/**
 * The exemption reason for a VAT breakdown entry, or null where none is wanted.
 *
 * @example exemptionReason('AE', '51', true, 'nb') // { code: 'VATEX-EU-AE', text: 'Omvendt avgiftsplikt – Merverdiavgift ikke beregnet' }
 */
export function exemptionReason(
  category: VatCategory,
  vatCode: string,
  isSellerVatRegistered: boolean,
  language: 'nb' | 'en',
): ExemptionReason | null {
  const vat = findVatCode(vatCode);
  const described = vat ? (language === 'nb' ? vat.descriptionNb : vat.descriptionEn) : null;
  switch (category) {
    case 'S':
    case 'Z':
      return null;
    case 'AE':
      return { code: 'VATEX-EU-AE', text: TEXTS.reverseCharge[language] };
    case 'G':
      return { code: 'VATEX-EU-G', text: described ?? TEXTS.export[language] };
    case 'K':
      return { code: 'VATEX-EU-IC', text: TEXTS.intraCommunity[language] };
    case 'O':
      return { code: 'VATEX-EU-O', text: isSellerVatRegistered && described ? described : TEXTS.notRegistered[language] };
    case 'E':
      return { code: null, text: described ?? TEXTS.exempt[language] };
  }
}
