import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/dialects.js';
import { customerBody } from '../helpers/factories.js';
import { type Caller, createHarness, createTenant, type Harness, json } from '../helpers/harness.js';

/**
 * Document-level allowances and charges (EN 16931 BG-20/BG-21) through the API: exact totals
 * worked by hand, percentages re-priced with the items, field errors, the legal check at issue,
 * the journal, and credit notes that credit them.
 */
describe.each(DIALECTS)('document-level allowances and charges (%s)', (dialect) => {
  let harness: Harness;
  let owner: Caller;
  let customerId: string;

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    harness.app.inject({ method, url, headers: owner.headers, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    harness = await createHarness(dialect);
    owner = await createTenant(harness);
    customerId = json(await call('POST', '/api/v1/customers', customerBody({ name: 'Kjøper AS' }))).id;
  });
  afterAll(async () => harness?.close());

  const items = [
    { description: 'Rådgivning', quantity: '2', unitPrice: '1000.00', vatCode: '3' },
    { description: 'Kaffe', quantity: '3', unitPrice: '100.00', vatCode: '31', discountPercent: '10' },
  ];
  const allowanceCharges = [
    { type: 'allowance', reason: 'Kunderabatt', reasonCode: '95', amount: '150.00', vatCode: '3' },
    { type: 'allowance', reason: 'Rabatt 10 % på mat', percent: '10', vatCode: '31' },
    { type: 'charge', reason: 'Frakt', reasonCode: 'FC', amount: '250', vatCode: '3' },
  ];

  async function draft(extra: object = {}) {
    const response = await call('POST', '/api/v1/invoices', { customerId, deliveryDate: '2026-11-20', lines: items, allowanceCharges, ...extra });
    expect(response.statusCode, response.body).toBe(201);
    return json(response);
  }

  // By hand: items 2 000,00 (25 %) + 270,00 (15 %) = 2 270,00. Allowances 150,00 (25 %) and 10 % of
  // 270,00 = 27,00 (15 %); charge 250,00 (25 %). Taxable 25 %: 2 000 − 150 + 250 = 2 100,00 → VAT 525,00;
  // 15 %: 270 − 27 = 243,00 → VAT 36,45. Net 2 343,00, VAT 561,45, total 2 904,45.
  const expectedTotals = {
    lineTotalMinor: 227000,
    allowanceTotalMinor: 17700,
    chargeTotalMinor: 25000,
    netMinor: 234300,
    vatMinor: 56145,
    grossMinor: 290445,
    payableMinor: 290445,
  };

  it('prices a draft by hand: allowances and charges lower and raise their VAT code before VAT is computed', async () => {
    const created = await draft();
    expect(created.lines).toHaveLength(2);
    expect(created.totals).toMatchObject(expectedTotals);
    expect(created.allowanceCharges).toEqual([
      expect.objectContaining({ type: 'allowance', reason: 'Kunderabatt', reasonCode: '95', amountMinor: 15000, percent: null, baseMinor: null, vatCode: '3', vatRatePercent: '25', netMinor: -15000 }),
      expect.objectContaining({ type: 'allowance', reason: 'Rabatt 10 % på mat', reasonCode: null, amountMinor: 2700, percent: '10', baseMinor: 27000, vatCode: '31', netMinor: -2700 }),
      expect.objectContaining({ type: 'charge', reason: 'Frakt', reasonCode: 'FC', amountMinor: 25000, vatCode: '3', netMinor: 25000 }),
    ]);
    const byCode = Object.fromEntries((created.vatBreakdown as Array<{ vatCode: string; taxableMinor: number; vatMinor: number }>).map((entry) => [entry.vatCode, [entry.taxableMinor, entry.vatMinor]]));
    expect(byCode).toEqual({ '3': [210000, 52500], '31': [24300, 3645] });
    // Read back: the same.
    const again = json(await call('GET', `/api/v1/invoices/${created.id}`));
    expect(again.totals).toMatchObject(expectedTotals);
    expect(again.allowanceCharges.map((entry: { position: number }) => entry.position)).toEqual([3, 4, 5]);
  });

  it('keeps the allowances when only the lines change, re-pricing a percentage from the new items (rounded once)', async () => {
    const created = await draft();
    // 1 × 270,05 at 15 % with a 12,5 % allowance: 33,75625 → 33,76.
    const patched = await call('PATCH', `/api/v1/invoices/${created.id}`, {
      lines: [items[0], { description: 'Kaffe', quantity: '1', unitPrice: '270.05', vatCode: '31' }],
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const percent = json(patched).allowanceCharges[1];
    expect(percent).toMatchObject({ percent: '10', baseMinor: 27005, amountMinor: 2701 });
    const changed = json(
      await call('PATCH', `/api/v1/invoices/${created.id}`, {
        allowanceCharges: [{ type: 'allowance', reason: 'Rabatt', percent: '12.5', vatCode: '31' }],
      }),
    );
    expect(changed.lines).toHaveLength(2);
    expect(changed.allowanceCharges).toEqual([expect.objectContaining({ percent: '12.5', baseMinor: 27005, amountMinor: 3376 })]);
    // 2 000,00 + 270,05 − 33,76 = 2 236,29; VAT 500,00 + 15 % of 236,29 = 35,4435 → 35,44.
    expect(changed.totals).toMatchObject({ lineTotalMinor: 227005, allowanceTotalMinor: 3376, chargeTotalMinor: 0, netMinor: 223629, vatMinor: 53544 });
    const cleared = json(await call('PATCH', `/api/v1/invoices/${created.id}`, { allowanceCharges: [] }));
    expect(cleared.allowanceCharges).toEqual([]);
    expect(cleared.totals).toMatchObject({ netMinor: 227005, allowanceTotalMinor: 0 });
  });

  it('answers field errors for malformed allowances and charges, and writes nothing', async () => {
    const cases: Array<[object, string, string]> = [
      [{ type: 'allowance', reason: 'X', amount: '10', percent: '5', vatCode: '3' }, 'allowanceCharges.0.amount', 'allowance_charge.amount_or_percent'],
      [{ type: 'allowance', reason: 'X', vatCode: '3' }, 'allowanceCharges.0.amount', 'allowance_charge.amount_or_percent'],
      [{ type: 'allowance', reason: 'X', reasonCode: 'FC', amount: '10' }, 'allowanceCharges.0.reasonCode', 'allowance_charge.reason_code_invalid'],
      [{ type: 'charge', reason: 'X', reasonCode: '95', amount: '10' }, 'allowanceCharges.0.reasonCode', 'allowance_charge.reason_code_invalid'],
      [{ type: 'charge', reason: 'X', amount: '0' }, 'allowanceCharges.0.amount', 'amount.invalid'],
      [{ type: 'charge', reason: 'X', amount: '1.234' }, 'allowanceCharges.0.amount', 'amount.invalid'],
      [{ type: 'charge', reason: 'X', amount: '-5' }, 'allowanceCharges.0.amount', 'amount.invalid'],
      [{ type: 'allowance', reason: 'X', percent: '0' }, 'allowanceCharges.0.percent', 'percent.invalid'],
      [{ type: 'allowance', reason: 'X', percent: '101' }, 'allowanceCharges.0.percent', 'percent.invalid'],
      [{ type: 'allowance', reason: '   ', amount: '10' }, 'allowanceCharges.0.reason', ''],
      [{ type: 'rebate', reason: 'X', amount: '10' }, 'allowanceCharges.0.type', ''],
    ];
    const before = json(await call('GET', '/api/v1/invoices?limit=100')).items.length;
    for (const [entry, path, code] of cases) {
      const response = await call('POST', '/api/v1/invoices', { customerId, deliveryDate: '2026-11-20', lines: items, allowanceCharges: [entry] });
      expect(response.statusCode, JSON.stringify(entry)).toBe(400);
      const problem = json(response);
      expect(problem.code).toBe('validation.failed');
      const issue = (problem.errors as Array<{ path: string; code: string }>).find((candidate) => candidate.path === path);
      expect(issue, `${JSON.stringify(entry)} → ${response.body}`).toBeDefined();
      if (code) expect(issue!.code).toBe(code);
    }
    expect(json(await call('GET', '/api/v1/invoices?limit=100')).items.length).toBe(before);
  });

  it('issues with a balanced journal entry: allowances lower and charges raise the revenue of their VAT code', async () => {
    const issued = json(await call('POST', `/api/v1/invoices/${(await draft()).id}/issue`));
    expect(issued.status).toBe('issued');
    expect(issued.totals).toMatchObject(expectedTotals);
    const entry = json(await call('GET', `/api/v1/journal-entries?sourceId=${issued.id}`)).items[0];
    const lines = entry.lines as Array<{ account: string; debitMinor: number; creditMinor: number; vatCode: string | null }>;
    const debit = lines.reduce((total, line) => total + line.debitMinor, 0);
    const credit = lines.reduce((total, line) => total + line.creditMinor, 0);
    expect(debit).toBe(credit);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ account: '1500', debitMinor: 290445 }),
        expect.objectContaining({ account: '3000', creditMinor: 210000, vatCode: '3' }),
        expect.objectContaining({ account: '2700', creditMinor: 52500, vatCode: '3' }),
        expect.objectContaining({ account: '3030', creditMinor: 24300, vatCode: '31' }),
        expect.objectContaining({ account: '2701', creditMinor: 3645, vatCode: '31' }),
      ]),
    );
    expect(lines).toHaveLength(5);
  });

  it('refuses to issue a percentage allowance whose VAT code has no items (its amount would be zero)', async () => {
    const created = await draft({ allowanceCharges: [{ type: 'allowance', reason: 'Rabatt på frukt', percent: '5', vatCode: '33' }] });
    expect(created.allowanceCharges[0]).toMatchObject({ amountMinor: 0, baseMinor: 0 });
    const response = await call('POST', `/api/v1/invoices/${created.id}/issue`);
    expect(response.statusCode).toBe(422);
    expect(json(response).code).toBe('invoice.incomplete');
    expect(json(response).errors).toEqual([expect.objectContaining({ path: 'allowanceCharges.0.amount', code: 'allowance_charge.not_positive' })]);
    expect(json(await call('GET', `/api/v1/invoices/${created.id}`)).status).toBe('draft');
  });

  it('credits a charge alone, refuses to credit an allowance alone, and a final credit settles every VAT code exactly', async () => {
    const invoice = json(await call('POST', `/api/v1/invoices/${(await draft()).id}/issue`));
    const [discount, , freight] = invoice.allowanceCharges as Array<{ id: string }>;

    const chargeOnly = await call('POST', `/api/v1/invoices/${invoice.id}/credit-note`, { lines: [{ invoiceLineId: freight!.id }], reason: 'Frakt feilført' });
    expect(chargeOnly.statusCode, chargeOnly.body).toBe(201);
    const first = json(chargeOnly);
    expect(first.lines).toEqual([]);
    expect(first.allowanceCharges).toEqual([expect.objectContaining({ type: 'charge', reason: 'Frakt', amountMinor: 25000, creditedLineId: freight!.id })]);
    expect(first.totals).toMatchObject({ lineTotalMinor: 0, chargeTotalMinor: 25000, netMinor: 25000, vatMinor: 6250, grossMinor: 31250 });

    const allowanceOnly = await call('POST', `/api/v1/invoices/${invoice.id}/credit-note`, { lines: [{ invoiceLineId: discount!.id }] });
    expect(allowanceOnly.statusCode).toBe(422);
    expect(json(allowanceOnly).code).toBe('credit_note.not_positive');

    const rest = await call('POST', `/api/v1/invoices/${invoice.id}/credit-note`, { reason: 'Resten' });
    expect(rest.statusCode, rest.body).toBe(201);
    const second = json(rest);
    expect(second.lines).toHaveLength(2);
    expect(second.allowanceCharges.map((entry: { type: string; amountMinor: number; percent: string | null }) => [entry.type, entry.amountMinor, entry.percent])).toEqual([
      ['allowance', 15000, null],
      ['allowance', 2700, null],
    ]);
    expect(second.totals.grossMinor + first.totals.grossMinor).toBe(invoice.totals.payableMinor);
    const after = json(await call('GET', `/api/v1/invoices/${invoice.id}`));
    expect(after).toMatchObject({ status: 'credited', openMinor: 0, creditedMinor: 290445 });
    for (const entry of invoice.vatBreakdown as Array<{ vatCode: string; taxableMinor: number; vatMinor: number }>) {
      const credited = [first, second].flatMap((note) => note.vatBreakdown as typeof invoice.vatBreakdown).filter((row: { vatCode: string }) => row.vatCode === entry.vatCode);
      expect(credited.reduce((total: number, row: { taxableMinor: number }) => total + row.taxableMinor, 0)).toBe(entry.taxableMinor);
      expect(credited.reduce((total: number, row: { vatMinor: number }) => total + row.vatMinor, 0)).toBe(entry.vatMinor);
    }
    expect((await call('POST', `/api/v1/invoices/${invoice.id}/credit-note`, {})).statusCode).toBe(409);
  });

  it('refuses at issue an allowance beyond the items of its VAT code (a 15 % discount must not lower 25 % VAT)', async () => {
    const created = await draft({
      lines: [{ description: 'Mat', quantity: '1', unitPrice: '1000.00', vatCode: '31' }],
      allowanceCharges: [{ type: 'allowance', reason: 'Rabatt', amount: '400.00', vatCode: '3' }],
    });
    const response = await call('POST', `/api/v1/invoices/${created.id}/issue`);
    expect(response.statusCode).toBe(422);
    expect(json(response).errors).toEqual([expect.objectContaining({ path: 'allowanceCharges.0.amount', code: 'allowance_charge.exceeds_base' })]);
    const fixed = json(await call('PATCH', `/api/v1/invoices/${created.id}`, { allowanceCharges: [{ type: 'allowance', reason: 'Rabatt', amount: '400.00', vatCode: '31' }] }));
    expect(fixed.vatBreakdown).toEqual([expect.objectContaining({ vatCode: '31', taxableMinor: 60000, vatMinor: 9000 })]);
    expect((await call('POST', `/api/v1/invoices/${created.id}/issue`)).statusCode).toBe(200);
  });

  it('treats a reverse-charge charge like a reverse-charge line: the buyer must be identified', async () => {
    const person = json(await call('POST', '/api/v1/customers', customerBody({ kind: 'person', name: 'Kari Privat', orgNumber: null }))).id;
    const created = await draft({ customerId: person, allowanceCharges: [{ type: 'charge', reason: 'Frakt', amount: '100', vatCode: '51' }] });
    const response = await call('POST', `/api/v1/invoices/${created.id}/issue`);
    expect(response.statusCode).toBe(422);
    expect(json(response).errors).toEqual([expect.objectContaining({ path: 'buyer.orgNumber', code: 'buyer.org_number_required' })]);
  });

  it('stores a blank reason code as none, and credits an allowance by its size with or without the minus sign', async () => {
    const created = await draft({ allowanceCharges: [{ type: 'allowance', reason: 'Kunderabatt', reasonCode: '  ', amount: '150.00', vatCode: '3' }] });
    expect(created.allowanceCharges[0].reasonCode).toBeNull();
    const invoice = json(await call('POST', `/api/v1/invoices/${created.id}/issue`));
    const [item, coffee] = invoice.lines as Array<{ id: string }>;
    const discount = invoice.allowanceCharges[0].id as string;
    // 1 000,00 of the item with 50,00 of the allowance, then again with −50,00: each note 950,00 + 25 %.
    for (const amount of ['50.00', '-50.00']) {
      const response = await call('POST', `/api/v1/invoices/${invoice.id}/credit-note`, { lines: [{ invoiceLineId: item!.id, amount: '1000.00' }, { invoiceLineId: discount, amount }] });
      expect(response.statusCode, response.body).toBe(201);
      const note = json(response);
      expect(note.allowanceCharges).toEqual([expect.objectContaining({ type: 'allowance', amountMinor: 5000, netMinor: -5000 })]);
      expect(note.totals).toMatchObject({ lineTotalMinor: 100000, allowanceTotalMinor: 5000, netMinor: 95000, grossMinor: 118750 });
    }
    // Only 50,00 of the allowance is left: 60,00 is more than that.
    const tooMuch = await call('POST', `/api/v1/invoices/${invoice.id}/credit-note`, { lines: [{ invoiceLineId: coffee!.id, amount: '10.00' }, { invoiceLineId: discount, amount: '60.00' }] });
    expect(tooMuch.statusCode).toBe(400);
    expect(json(tooMuch).errors).toEqual([expect.objectContaining({ path: 'lines.1', code: 'credit_note.exceeds_line' })]);
  });

  it('asks an EHF customer for a buyer or order reference before issue (Peppol R003); an e-mail customer is not asked', async () => {
    const ehfCustomer = json(await call('POST', '/api/v1/customers', customerBody({ name: 'Etat', deliveryChannel: 'ehf' }))).id;
    const draftFor = async (customer: string, extra: object = {}) =>
      json(await call('POST', '/api/v1/invoices', { customerId: customer, deliveryDate: '2026-11-20', lines: items, ...extra })).id as string;
    const refused = await call('POST', `/api/v1/invoices/${await draftFor(ehfCustomer)}/issue`);
    expect(refused.statusCode).toBe(422);
    expect(json(refused).errors).toEqual([expect.objectContaining({ path: 'buyerReference', code: 'buyer_reference.required_for_ehf' })]);
    expect((await call('POST', `/api/v1/invoices/${await draftFor(ehfCustomer, { orderReference: 'PO-1' })}/issue`)).statusCode).toBe(200);
    expect((await call('POST', `/api/v1/invoices/${await draftFor(ehfCustomer, { buyerReference: 'Kari' })}/issue`)).statusCode).toBe(200);
    expect((await call('POST', `/api/v1/invoices/${await draftFor(customerId)}/issue`)).statusCode).toBe(200);
  });
});
