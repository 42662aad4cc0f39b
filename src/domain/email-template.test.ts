import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EMAIL_TEMPLATES,
  type EmailDocumentFacts,
  emailTemplateValues,
  formatAmount,
  renderEmail,
  unknownPlaceholders,
} from './email-template.js';

const invoice: EmailDocumentFacts = {
  kind: 'invoice',
  documentNumber: '1001',
  customerName: 'Kjøper AS',
  amountMinor: 123456789,
  currency: 'NOK',
  issueDate: '2026-11-26',
  dueDate: '2026-12-10',
  kid: '0000420000010017',
  bankAccount: '86011117947',
  iban: null,
  companyName: 'Fjordkaffe AS',
  creditedInvoiceNumber: null,
};

describe('e-mail templates', () => {
  it.each([
    [0, '0,00'],
    [5, '0,05'],
    [123450, '1\u00a0234,50'],
    [123456789, '1\u00a0234\u00a0567,89'],
    [-250000, '\u22122\u00a0500,00'],
  ])('formats %i øre as %s', (minor, text) => {
    expect(formatAmount(minor)).toBe(text);
  });

  it('fills the Norwegian default with the document facts', () => {
    const mail = renderEmail(DEFAULT_EMAIL_TEMPLATES.nb, emailTemplateValues(invoice, 'nb'));
    expect(mail.subject).toBe('Faktura 1001 fra Fjordkaffe AS');
    expect(mail.body).toContain('Faktura 1001 fra Fjordkaffe AS ligger vedlagt som PDF.');
    expect(mail.body).toContain('Beløp: 1\u00a0234\u00a0567,89 NOK');
    expect(mail.body).toContain('Forfallsdato: 10.12.2026\nKontonummer: 8601 11 17947\nKID: 0000420000010017');
    expect(mail.body).not.toMatch(/\{\w+\}/);
  });

  it('fills the English default, and a credit note names the invoice it credits instead of payment details', () => {
    const mail = renderEmail(
      DEFAULT_EMAIL_TEMPLATES.en,
      emailTemplateValues({ ...invoice, kind: 'credit_note', documentNumber: 'KN-3', kid: null, dueDate: null, creditedInvoiceNumber: '1001' }, 'en'),
    );
    expect(mail.subject).toBe('Credit note KN-3 from Fjordkaffe AS');
    expect(mail.body).toContain('Refers to invoice 1001');
    expect(mail.body).not.toContain('KID');
    expect(mail.body).not.toContain('Due date');
  });

  it('keeps a subject on one line whatever the values hold', () => {
    const mail = renderEmail({ subject: '{customerName} {documentNumber}', body: '-' }, emailTemplateValues({ ...invoice, customerName: 'Evil\r\nBcc: x@y' }, 'nb'));
    expect(mail.subject).toBe('Evil Bcc: x@y 1001');
  });

  it('finds unknown placeholders and accepts every documented one', () => {
    expect(unknownPlaceholders('Faktura {fakturanummer} til {customerName} {kid} {x1}')).toEqual(['fakturanummer', 'x1']);
    const all = '{documentKind}{documentNumber}{customerName}{amount}{currency}{issueDate}{dueDate}{kid}{accountNumber}{companyName}{paymentDetails}';
    expect(unknownPlaceholders(all)).toEqual([]);
    expect(unknownPlaceholders('JSON { "a": 1 } and {} stay')).toEqual([]);
  });
});
