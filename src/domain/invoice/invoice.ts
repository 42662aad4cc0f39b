import type { Address, SellerSnapshot } from '../party.js';
import type { InvoiceStatus } from './invoice-status.js';

/** What a stored line is: an item (BG-25), or a document-level allowance (BG-20) or charge (BG-21). */
export type LineType = 'item' | 'allowance' | 'charge';

/** An invoice or credit note as the application shows it (money in integer øre). */
export interface InvoiceDocument {
  id: string;
  kind: 'invoice' | 'credit_note';
  status: InvoiceStatus;
  isTest: boolean;
  number: number | null;
  documentNumber: string | null;
  customerId: string;
  customerNumber: number;
  buyer: {
    name: string;
    kind: 'business' | 'person';
    orgNumber: string | null;
    email: string | null;
    address: Address;
    peppolId: string | null;
    language: 'nb' | 'en';
  };
  seller: SellerSnapshot | null;
  issueDate: string | null;
  deliveryDate: string | null;
  deliveryPeriod: { start: string; end: string } | null;
  deliveryAddress: Address | null;
  dueDate: string | null;
  paymentTermsDays: number | null;
  buyerReference: string | null;
  orderReference: string | null;
  ourReference: string | null;
  freeText: string | null;
  currency: string;
  exchangeRate: string | null;
  kid: string | null;
  /** The item lines (BG-25). */
  lines: InvoiceLine[];
  /** Document-level allowances and charges (BG-20, BG-21), in the order given. */
  allowanceCharges: AllowanceCharge[];
  vatBreakdown: Array<{
    vatCode: string;
    category: string;
    ratePercent: string;
    taxableMinor: number;
    vatMinor: number;
    taxableNokMinor: number;
    vatNokMinor: number;
  }>;
  totals: {
    /** Sum of the item lines' nets (BT-106). */
    lineTotalMinor: number;
    /** Sum of document-level allowances, positive (BT-107). */
    allowanceTotalMinor: number;
    /** Sum of document-level charges (BT-108). */
    chargeTotalMinor: number;
    /** lineTotal − allowances + charges (BT-109). */
    netMinor: number;
    vatMinor: number;
    grossMinor: number;
    payableMinor: number;
    netNokMinor: number;
    vatNokMinor: number;
    grossNokMinor: number;
  };
  paidMinor: number;
  creditedMinor: number;
  openMinor: number;
  isOverdue: boolean;
  creditedInvoice: { id: string; documentNumber: string | null; issueDate: string | null } | null;
  creditReason: string | null;
  creditNotes: Array<{ id: string; documentNumber: string | null; issueDate: string | null; grossMinor: number }>;
  journalEntryId: string | null;
  issuedAt: string | null;
  sentAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface InvoiceLine {
  id: string;
  position: number;
  productId: string | null;
  description: string | null;
  quantity: string;
  unitCode: string;
  unitPrice: string | null;
  discountPercent: string;
  vatCode: string;
  vatCategory: string;
  vatRatePercent: string;
  revenueAccount: string | null;
  netMinor: number;
  creditedLineId: string | null;
}

/** A document-level allowance or charge; amounts in øre. */
export interface AllowanceCharge {
  id: string;
  position: number;
  type: 'allowance' | 'charge';
  reason: string | null;
  /** UNCL 5189 (allowance) or UNCL 7161 (charge). */
  reasonCode: string | null;
  /** Amount (BT-92 / BT-99): positive on every issued document; a draft may show a percentage of a negative base as negative. */
  amountMinor: number;
  /** Set when given as a percentage (BT-94 / BT-101), e.g. "10" or "2.5". */
  percent: string | null;
  /** The base of the percentage (BT-93 / BT-100). */
  baseMinor: number | null;
  vatCode: string;
  vatCategory: string;
  vatRatePercent: string;
  revenueAccount: string | null;
  /** Signed effect on the taxable amount: −amount for an allowance, +amount for a charge. */
  netMinor: number;
  creditedLineId: string | null;
}

/** 1250 basis points → "12.5"; 2500 → "25". */
export function basisPointsToPercent(basisPoints: number): string {
  const whole = Math.trunc(basisPoints / 100);
  const fraction = Math.abs(basisPoints % 100);
  return fraction === 0 ? String(whole) : `${whole}.${String(fraction).padStart(2, '0').replace(/0$/, '')}`;
}

/** "12.5" or "12,5" → 1250 basis points (two decimals at most). */
export function percentToBasisPoints(percent: string): number {
  const [whole, fraction = ''] = percent.replace(',', '.').split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
}
