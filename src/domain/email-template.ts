import type { Language } from './party.js';
import { formatBankAccount } from './norwegian-identifiers.js';

/**
 * E-mail subject and body templates for sending documents. Placeholders are `{name}` with
 * the names below, the same in both languages; anything else in braces is refused when the
 * template is saved, so a typo never reaches a customer as literal text.
 */
export const EMAIL_PLACEHOLDERS = [
  'documentKind',
  'documentNumber',
  'customerName',
  'amount',
  'currency',
  'issueDate',
  'dueDate',
  'kid',
  'accountNumber',
  'companyName',
  'paymentDetails',
] as const;
export type EmailPlaceholder = (typeof EMAIL_PLACEHOLDERS)[number];

export interface EmailTemplate {
  subject: string;
  body: string;
}

export const DEFAULT_EMAIL_TEMPLATES: Record<Language, EmailTemplate> = {
  nb: {
    subject: '{documentKind} {documentNumber} fra {companyName}',
    body:
      'Hei,\n\n' +
      '{documentKind} {documentNumber} fra {companyName} ligger vedlagt som PDF.\n\n' +
      'Beløp: {amount} {currency}\n' +
      '{paymentDetails}\n\n' +
      'Med vennlig hilsen\n' +
      '{companyName}\n',
  },
  en: {
    subject: '{documentKind} {documentNumber} from {companyName}',
    body:
      'Hello,\n\n' +
      '{documentKind} {documentNumber} from {companyName} is attached as a PDF.\n\n' +
      'Amount: {amount} {currency}\n' +
      '{paymentDetails}\n\n' +
      'Kind regards\n' +
      '{companyName}\n',
  },
};

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** Names in braces that are not placeholders, e.g. `['fakturanummer']`. */
export function unknownPlaceholders(template: string): string[] {
  const known = new Set<string>(EMAIL_PLACEHOLDERS);
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((match) => match[1]!).filter((name) => !known.has(name)))];
}

/**
 * Fills the placeholders. A subject is one line: line breaks from values become spaces.
 *
 * @example renderEmailTemplate('Faktura {documentNumber}', values) // 'Faktura 1001'
 */
export function renderEmailTemplate(template: string, values: Record<EmailPlaceholder, string>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    Object.hasOwn(values, name) ? values[name as EmailPlaceholder] : whole,
  );
}

export function renderEmail(template: EmailTemplate, values: Record<EmailPlaceholder, string>): EmailTemplate {
  return {
    subject: renderEmailTemplate(template.subject, values).replace(/[\r\n]+/g, ' ').trim(),
    body: renderEmailTemplate(template.body, values).replace(/\n{3,}/g, '\n\n'),
  };
}

/** The document facts the placeholders show. */
export interface EmailDocumentFacts {
  kind: 'invoice' | 'credit_note';
  /** As printed: `1001`, `KN-12`, `TEST-3`. */
  documentNumber: string;
  customerName: string;
  /** What the buyer pays (invoice) or is credited (credit note), in minor units. */
  amountMinor: number;
  currency: string;
  issueDate: string | null;
  dueDate: string | null;
  kid: string | null;
  bankAccount: string | null;
  iban: string | null;
  companyName: string;
  creditedInvoiceNumber: string | null;
}

const WORDS: Record<Language, Record<string, string>> = {
  nb: {
    invoice: 'Faktura',
    credit_note: 'Kreditnota',
    dueDate: 'Forfallsdato',
    accountNumber: 'Kontonummer',
    iban: 'IBAN',
    kid: 'KID',
    refersTo: 'Gjelder faktura',
  },
  en: {
    invoice: 'Invoice',
    credit_note: 'Credit note',
    dueDate: 'Due date',
    accountNumber: 'Account number',
    iban: 'IBAN',
    kid: 'KID',
    refersTo: 'Refers to invoice',
  },
};

/**
 * Amounts in the Norwegian format in both languages, as on the document itself:
 * `1 234,50` with U+00A0 between thousands and U+2212 for minus.
 *
 * @example formatAmount(123450) // '1 234,50'
 */
export function formatAmount(minor: number): string {
  const negative = minor < 0;
  const absolute = Math.abs(minor);
  const whole = Math.trunc(absolute / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  return `${negative ? '\u2212' : ''}${whole},${String(absolute % 100).padStart(2, '0')}`;
}

/** `2026-11-26` → `26.11.2026`; null → empty. */
export function formatCalendarDate(date: string | null): string {
  if (!date) return '';
  const [year, month, day] = date.split('-');
  return `${day}.${month}.${year}`;
}

/** Placeholder values for a document in the buyer's language. */
export function emailTemplateValues(facts: EmailDocumentFacts, language: Language): Record<EmailPlaceholder, string> {
  const words = WORDS[language];
  const accountNumber = facts.bankAccount ? formatBankAccount(facts.bankAccount) : '';
  const details: string[] = [];
  if (facts.kind === 'invoice') {
    if (facts.dueDate) details.push(`${words.dueDate}: ${formatCalendarDate(facts.dueDate)}`);
    if (accountNumber) details.push(`${words.accountNumber}: ${accountNumber}`);
    else if (facts.iban) details.push(`${words.iban}: ${facts.iban}`);
    if (facts.kid) details.push(`${words.kid}: ${facts.kid}`);
  } else if (facts.creditedInvoiceNumber) {
    details.push(`${words.refersTo} ${facts.creditedInvoiceNumber}`);
  }
  return {
    documentKind: words[facts.kind]!,
    documentNumber: facts.documentNumber,
    customerName: facts.customerName,
    amount: formatAmount(facts.amountMinor),
    currency: facts.currency,
    issueDate: formatCalendarDate(facts.issueDate),
    dueDate: formatCalendarDate(facts.dueDate),
    kid: facts.kid ?? '',
    accountNumber,
    companyName: facts.companyName,
    paymentDetails: details.join('\n'),
  };
}
