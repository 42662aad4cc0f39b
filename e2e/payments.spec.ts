import { expect, test, type Locator, type Page } from '@playwright/test';
import { apiCall, COMPANY, createMember, loginViaApi, switchUser, unique } from './fixtures.js';

/**
 * Payments in the UI: registered from the issued invoice's view (partial, then the rest), the
 * invoice's status and open amount following; a reversal with a reason (struck through, open
 * again); the "Betalinger" list linking back to the invoice; and a read-only user who sees the
 * payments but no buttons.
 */

function osloDate(offsetDays = 0): { iso: string; text: string } {
  const at = new Date(Date.now() + offsetDays * 86_400_000);
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  const [year, month, day] = parts.split('-');
  return { iso: parts, text: `${day}.${month}.${year}` };
}

function fact(page: Page, label: string): Locator {
  return page.locator('.facts__item').filter({ has: page.locator('dt', { hasText: label }) }).locator('dd');
}

function openRow(page: Page): Locator {
  return page.getByRole('table', { name: 'Beløp' }).getByRole('row', { name: /Utestående/ });
}

test.beforeEach(async ({ page }) => {
  await loginViaApi(page);
});

test('partial payment, the rest, a reversal with a reason, the list; a read-only user sees no payment buttons', async ({ page }) => {
  const today = osloDate();
  await apiCall(page, 'PATCH', '/company', { bankAccount: COMPANY.bankAccount });
  const customer = await apiCall<{ id: string; name: string }>(page, 'POST', '/customers', {
    kind: 'business',
    name: unique('Betaleren AS'),
    address: { line1: 'Kongens gate 2', postalCode: '7011', city: 'Trondheim', countryCode: 'NO' },
  });
  const draft = await apiCall<{ id: string }>(page, 'POST', '/invoices', {
    customerId: customer.id,
    deliveryDate: today.iso,
    lines: [{ description: 'Rådgivning', quantity: '1', unitPrice: '1000.00', vatCode: '3' }],
  });
  // 1 000,00 + 25 % mva = 1 250,00.
  const invoice = await apiCall<{ id: string; documentNumber: string; kid: string }>(page, 'POST', `/invoices/${draft.id}/issue`);
  expect(invoice.kid).toMatch(/^\d+$/);

  await page.goto(`/invoices/${invoice.id}`);
  await expect(fact(page, 'Status')).toContainText('Utstedt');
  const section = page.getByRole('region', { name: 'Betalinger' });
  await expect(section.getByText('Ingen betalinger registrert.')).toBeVisible();
  await expect(section.getByTestId('payments-open')).toHaveText('1 250,00 kr');

  // ---- A partial payment of 500,00 ----
  await section.getByRole('button', { name: 'Registrer betaling' }).click();
  const form = section.getByRole('form', { name: 'Registrer betaling' });
  await expect(form.getByLabel('Betalingsdato')).toHaveValue(today.text);
  await expect(form.getByLabel('Beløp', { exact: true })).toHaveValue('1250,00');
  await expect(form.getByLabel('Referanse')).toHaveValue(invoice.kid);
  await expect(form.getByLabel('Beløp i NOK')).toHaveCount(0);

  // A date in the future is refused by the server, beside the field.
  await form.getByLabel('Betalingsdato').fill(osloDate(2).text);
  await form.getByLabel('Beløp', { exact: true }).fill('500');
  await form.getByRole('button', { name: 'Lagre betaling' }).click();
  await expect(form.getByText('En betaling kan ikke være mottatt fram i tid.')).toBeVisible();
  await expect(form.getByLabel('Betalingsdato')).toHaveAttribute('aria-invalid', 'true');
  await expect(fact(page, 'Status')).toContainText('Utstedt');

  await form.getByLabel('Betalingsdato').fill(today.text);
  await form.getByRole('button', { name: 'Lagre betaling' }).click();
  await expect(page.getByText(/^Betalingen er registrert \(INN-\d+\)\.$/)).toBeVisible();
  await expect(form).toHaveCount(0);
  await expect(fact(page, 'Status')).toContainText('Delvis betalt');
  await expect(openRow(page)).toContainText('750,00 kr');
  await expect(section.getByTestId('payments-paid')).toHaveText('500,00 kr');
  await expect(section.getByTestId('payments-open')).toHaveText('750,00 kr');
  const table = section.getByRole('table', { name: 'Betalinger' });
  await expect(table.getByRole('row')).toHaveCount(2); // header + one payment
  const firstRow = table.getByRole('row').nth(1);
  await expect(firstRow).toContainText(today.text);
  await expect(firstRow).toContainText('500,00 kr');
  await expect(firstRow).toContainText(invoice.kid);
  await expect(firstRow).toContainText('Bokført');
  const firstVoucher = (await firstRow.getAttribute('data-payment'))!;
  expect(firstVoucher).toMatch(/^INN-\d+$/);

  // ---- The rest: 750,00 (the default). An overpayment is announced before saving. ----
  await section.getByRole('button', { name: 'Registrer betaling' }).click();
  await expect(form.getByLabel('Beløp', { exact: true })).toHaveValue('750,00');
  await form.getByLabel('Beløp', { exact: true }).fill('800,00');
  await expect(form.getByText('Beløpet er 50,00 kr mer enn det utestående (750,00 kr). Fakturaen blir betalt, og 50,00 kr blir stående som kundens tilgode.')).toBeVisible();
  await form.getByLabel('Beløp', { exact: true }).fill('750,00');
  await expect(form.getByText(/kundens tilgode/)).toHaveCount(0);
  await form.getByRole('button', { name: 'Lagre betaling' }).click();
  await expect(fact(page, 'Status')).toContainText('Betalt');
  await expect(fact(page, 'Status')).not.toContainText('Delvis');
  await expect(openRow(page)).toContainText('0,00 kr');
  await expect(section.getByTestId('payments-open')).toHaveText('0,00 kr');
  await expect(section.getByRole('button', { name: 'Registrer betaling' })).toHaveCount(0);
  await expect(table.getByRole('row')).toHaveCount(3);
  const secondRow = table.getByRole('row').nth(1); // newest first
  await expect(secondRow).toContainText('750,00 kr');
  const secondVoucher = (await secondRow.getAttribute('data-payment'))!;
  expect(secondVoucher).not.toBe(firstVoucher);

  // ---- Reverse the second payment: a reason is required ----
  await section.getByRole('button', { name: `Tilbakefør betaling ${secondVoucher}`, exact: true }).click();
  const reverse = section.getByRole('form', { name: `Tilbakefør betaling ${secondVoucher}`, exact: true });
  await reverse.getByRole('button', { name: 'Tilbakefør betaling' }).click();
  await expect(reverse.getByText('Skriv hvorfor betalingen tilbakeføres.')).toBeVisible();
  await reverse.getByLabel('Årsak').fill('Feil beløp');
  await reverse.getByRole('button', { name: 'Tilbakefør betaling' }).click();
  await expect(page.getByText(`Betalingen ${secondVoucher} er tilbakeført.`)).toBeVisible();
  await expect(reverse).toHaveCount(0);
  await expect(fact(page, 'Status')).toContainText('Delvis betalt');
  await expect(openRow(page)).toContainText('750,00 kr');
  await expect(section.getByTestId('payments-open')).toHaveText('750,00 kr');
  const reversedRow = table.locator(`tr[data-payment="${secondVoucher}"]`);
  await expect(reversedRow).toContainText('Tilbakeført');
  await expect(reversedRow.locator('.payment-reversal')).toHaveText(`${today.text}: Feil beløp`);
  await expect(reversedRow.locator('s').filter({ hasText: '750,00 kr' })).toHaveCount(1);
  await expect(section.getByRole('button', { name: `Tilbakefør betaling ${secondVoucher}`, exact: true })).toHaveCount(0);
  await expect(section.getByRole('button', { name: `Tilbakefør betaling ${firstVoucher}`, exact: true })).toBeVisible();
  await expect(section.getByRole('button', { name: 'Registrer betaling' })).toBeVisible();
  // The server agrees.
  const paid = await apiCall<{ status: string; paidMinor: number; openMinor: number }>(page, 'GET', `/invoices/${invoice.id}`);
  expect(paid).toMatchObject({ status: 'partially_paid', paidMinor: 50_000, openMinor: 75_000 });

  // ---- The list: both payments, newest first, linking to the invoice ----
  await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Betalinger' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Betalinger' })).toBeVisible();
  const listRows = page.locator('tbody tr');
  await expect(page.locator(`tr[data-payment="${secondVoucher}"]`)).toContainText('Tilbakeført');
  await expect(page.locator(`tr[data-payment="${firstVoucher}"]`)).toContainText('Bokført');
  await expect(page.locator(`tr[data-payment="${firstVoucher}"]`)).toContainText(customer.name);
  const vouchers = await listRows.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-payment')));
  expect(vouchers.indexOf(secondVoucher)).toBeLessThan(vouchers.indexOf(firstVoucher));
  await page.locator(`tr[data-payment="${firstVoucher}"]`).getByRole('link', { name: `Faktura ${invoice.documentNumber}`, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/invoices/${invoice.id}$`));
  await expect(fact(page, 'Status')).toContainText('Delvis betalt');

  // ---- A read-only user sees the payments and no payment buttons ----
  const reader = await createMember(page, 'read_only');
  await switchUser(page, reader.email, reader.password);
  await page.goto(`/invoices/${invoice.id}`);
  await expect(fact(page, 'Status')).toContainText('Delvis betalt');
  const readerSection = page.getByRole('region', { name: 'Betalinger' });
  await expect(readerSection.getByRole('table', { name: 'Betalinger' }).getByRole('row')).toHaveCount(3);
  await expect(readerSection.getByTestId('payments-open')).toHaveText('750,00 kr');
  await expect(readerSection.getByRole('button')).toHaveCount(0);
  await page.goto('/payments');
  await expect(page.locator(`tr[data-payment="${firstVoucher}"]`)).toContainText('Bokført');
  await expect(page.getByRole('button', { name: /^Tilbakefør/ })).toHaveCount(0);
});

test('a EUR invoice asks for the NOK that came in, refuses an overpayment, and books the payment', async ({ page }) => {
  const today = osloDate();
  await apiCall(page, 'PATCH', '/company', { bankAccount: COMPANY.bankAccount });
  const customer = await apiCall<{ id: string }>(page, 'POST', '/customers', {
    kind: 'business',
    name: unique('Utland GmbH'),
    address: { line1: 'Hauptstraße 1', postalCode: '10115', city: 'Berlin', countryCode: 'DE' },
  });
  const draft = await apiCall<{ id: string }>(page, 'POST', '/invoices', {
    customerId: customer.id,
    deliveryDate: today.iso,
    currency: 'EUR',
    exchangeRate: '11.50',
    lines: [{ description: 'Service', quantity: '1', unitPrice: '100.00', vatCode: '3' }],
  });
  // 100,00 EUR + 25 % = 125,00 EUR.
  const invoice = await apiCall<{ id: string; openMinor: number; currency: string }>(page, 'POST', `/invoices/${draft.id}/issue`);
  expect(invoice).toMatchObject({ currency: 'EUR', openMinor: 12_500 });

  await page.goto(`/invoices/${invoice.id}`);
  const section = page.getByRole('region', { name: 'Betalinger' });
  await expect(section.getByTestId('payments-open')).toHaveText('125,00\u00a0EUR');
  await section.getByRole('button', { name: 'Registrer betaling' }).click();
  const form = section.getByRole('form', { name: 'Registrer betaling' });
  await expect(form.getByLabel('Beløp i EUR')).toHaveValue('125,00');
  await expect(form.getByLabel('Beløp i NOK')).toHaveValue('');

  // More than is open cannot become credit in a foreign currency: said at once, and refused beside the field.
  await form.getByLabel('Beløp i EUR').fill('130');
  await expect(form.getByText('En betaling i EUR kan ikke være større enn det utestående (125,00\u00a0EUR).')).toBeVisible();
  await form.getByRole('button', { name: 'Lagre betaling' }).click();
  await expect(form.getByText('En betaling i utenlandsk valuta kan ikke være større enn det utestående.')).toBeVisible();
  await expect(form.getByLabel('Beløp i EUR')).toHaveAttribute('aria-invalid', 'true');
  // The NOK amount is required.
  await expect(form.getByText('Skriv beløpet i NOK som kom inn på kontoen.')).toBeVisible();

  await form.getByLabel('Beløp i EUR').fill('125,00');
  await form.getByLabel('Beløp i NOK').fill('1 450,00');
  await form.getByRole('button', { name: 'Lagre betaling' }).click();
  await expect(form).toHaveCount(0);
  await expect(fact(page, 'Status')).toContainText('Betalt');
  await expect(section.getByTestId('payments-open')).toHaveText('0,00\u00a0EUR');
  const row = section.getByRole('table', { name: 'Betalinger' }).getByRole('row').nth(1);
  await expect(row).toContainText('125,00\u00a0EUR');
  const payments = await apiCall<{ items: Array<{ currency: string; amountMinor: number; amountNokMinor: number; unallocatedMinor: number }> }>(
    page,
    'GET',
    `/invoices/${invoice.id}/payments`,
  );
  expect(payments.items).toEqual([expect.objectContaining({ currency: 'EUR', amountMinor: 12_500, amountNokMinor: 145_000, unallocatedMinor: 0 })]);
});

test("an overpayment's credit: part of it on a second invoice (partly paid), the rest refunded (credit 0)", async ({ page }) => {
  const today = osloDate();
  await apiCall(page, 'PATCH', '/company', { bankAccount: COMPANY.bankAccount });
  const customer = await apiCall<{ id: string; name: string }>(page, 'POST', '/customers', {
    kind: 'business',
    name: unique('Tilgode AS'),
    address: { line1: 'Storgata 5', postalCode: '0155', city: 'Oslo', countryCode: 'NO' },
  });
  async function issue(unitPrice: string) {
    const draft = await apiCall<{ id: string }>(page, 'POST', '/invoices', {
      customerId: customer.id,
      deliveryDate: today.iso,
      lines: [{ description: 'Rådgivning', quantity: '1', unitPrice, vatCode: '3' }],
    });
    return apiCall<{ id: string; documentNumber: string; openMinor: number }>(page, 'POST', `/invoices/${draft.id}/issue`);
  }
  const first = await issue('1000.00'); // 1 250,00 with VAT
  const second = await issue('400.00'); // 500,00 with VAT
  expect([first.openMinor, second.openMinor]).toEqual([125_000, 50_000]);

  // ---- Overpay the first invoice by 300,00 ----
  await page.goto(`/invoices/${first.id}`);
  const section = page.getByRole('region', { name: 'Betalinger' });
  await section.getByRole('button', { name: 'Registrer betaling' }).click();
  const form = section.getByRole('form', { name: 'Registrer betaling' });
  await form.getByLabel('Beløp', { exact: true }).fill('1550,00');
  await expect(form.getByText(/300,00\skr blir stående som kundens tilgode/)).toBeVisible();
  await form.getByRole('button', { name: 'Lagre betaling' }).click();
  await expect(form).toHaveCount(0);
  await expect(fact(page, 'Status')).toContainText('Betalt');
  const voucher = (await section.getByRole('table', { name: 'Betalinger' }).getByRole('row').nth(1).getAttribute('data-payment'))!;
  expect(voucher).toMatch(/^INN-\d+$/);

  // ---- The list shows the credit and its two actions ----
  await page.goto('/payments');
  const row = page.locator(`tr[data-payment="${voucher}"]`);
  await expect(row.getByTestId('payment-credit')).toHaveText('Kreditt: 300,00 kr');
  await expect(row.getByRole('button', { name: `Tilbakefør betaling ${voucher}`, exact: true })).toBeVisible();

  // ---- Apply 200,00 of it to the second invoice ----
  await row.getByRole('button', { name: `Bruk kreditten fra ${voucher} på faktura`, exact: true }).click();
  const apply = page.getByRole('form', { name: `Bruk kreditten fra ${voucher} på faktura`, exact: true });
  const invoiceSelect = apply.getByLabel('Faktura', { exact: true });
  // Only the open invoice of this customer is offered (the first one is paid).
  await expect(invoiceSelect.locator('option')).toHaveText(['Velg faktura', `Faktura ${second.documentNumber} (utestående 500,00 kr)`]);
  await apply.getByRole('button', { name: 'Bruk kreditten', exact: true }).click();
  await expect(apply.getByText('Velg en faktura.')).toBeVisible();
  await invoiceSelect.selectOption(second.id);
  // The default is the smaller of the credit (300,00) and what is open (500,00).
  await expect(apply.getByLabel('Beløp', { exact: true })).toHaveValue('300,00');
  // More than the credit is refused by the server, beside the amount.
  await apply.getByLabel('Beløp', { exact: true }).fill('400,00');
  await apply.getByRole('button', { name: 'Bruk kreditten', exact: true }).click();
  await expect(apply.getByText('Mer enn kreditten som er igjen på betalingen.')).toBeVisible();
  await expect(apply.getByLabel('Beløp', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await apply.getByLabel('Beløp', { exact: true }).fill('200,00');
  await apply.getByRole('button', { name: 'Bruk kreditten', exact: true }).click();
  await expect(page.getByText(`200,00 kr er ført mot faktura ${second.documentNumber}.`)).toBeVisible();
  await expect(apply).toHaveCount(0);
  await expect(row.getByTestId('payment-credit')).toHaveText('Kreditt: 100,00 kr');
  await expect(row.getByRole('link', { name: `Faktura ${second.documentNumber}`, exact: true })).toBeVisible();
  const partly = await apiCall<{ status: string; paidMinor: number; openMinor: number }>(page, 'GET', `/invoices/${second.id}`);
  expect(partly).toMatchObject({ status: 'partially_paid', paidMinor: 20_000, openMinor: 30_000 });

  // ---- Refund the rest (the default amount and today) ----
  await row.getByRole('button', { name: `Tilbakebetal kreditten fra ${voucher}`, exact: true }).click();
  const refund = page.getByRole('form', { name: `Tilbakebetal kreditten fra ${voucher}`, exact: true });
  await expect(refund.getByLabel('Dato')).toHaveValue(today.text);
  await expect(refund.getByLabel('Beløp', { exact: true })).toHaveValue('100,00');
  await refund.getByLabel('Notat').fill('Til kundens konto');
  await refund.getByRole('button', { name: 'Tilbakebetal', exact: true }).click();
  await expect(page.getByText(/^100,00\skr er tilbakebetalt \(UTB-\d+\)\.$/)).toBeVisible();
  await expect(refund).toHaveCount(0);
  await expect(row.getByTestId('payment-credit')).toHaveText('Kreditt: 0,00 kr');
  await expect(row.locator('.payment-refund')).toHaveCount(1);
  await expect(row.locator('.payment-refund')).toHaveText(new RegExp(`^${today.text.replace(/\./g, '\\.')}: 100,00\\skr tilbakebetalt \\(UTB-\\d+\\): Til kundens konto$`));
  // No credit left to use, and a payment with refunds cannot be reversed.
  await expect(row.getByRole('button')).toHaveCount(0);
  const payment = await apiCall<{ items: Array<{ voucher: string; unallocatedMinor: number; refunds: Array<{ amountMinor: number; note: string | null }> }> }>(
    page,
    'GET',
    `/invoices/${second.id}/payments`,
  );
  expect(payment.items).toEqual([
    expect.objectContaining({ voucher, unallocatedMinor: 0, refunds: [expect.objectContaining({ amountMinor: 10_000, note: 'Til kundens konto' })] }),
  ]);

  // The second invoice shows the part paid.
  await row.getByRole('link', { name: `Faktura ${second.documentNumber}`, exact: true }).click();
  await expect(fact(page, 'Status')).toContainText('Delvis betalt');
  await expect(page.getByRole('region', { name: 'Betalinger' }).getByTestId('payments-open')).toHaveText('300,00 kr');
});

test("a credit note on a paid invoice: the customer's page shows the credit, linking to the payment; the invoice shows the release", async ({ page }) => {
  const today = osloDate();
  await apiCall(page, 'PATCH', '/company', { bankAccount: COMPANY.bankAccount });
  const customer = await apiCall<{ id: string; name: string }>(page, 'POST', '/customers', {
    kind: 'business',
    name: unique('Kreditert AS'),
    address: { line1: 'Storgata 7', postalCode: '0155', city: 'Oslo', countryCode: 'NO' },
  });
  const draft = await apiCall<{ id: string }>(page, 'POST', '/invoices', {
    customerId: customer.id,
    deliveryDate: today.iso,
    lines: [{ description: 'Rådgivning', quantity: '1', unitPrice: '1000.00', vatCode: '3' }],
  });
  const invoice = await apiCall<{ id: string; documentNumber: string }>(page, 'POST', `/invoices/${draft.id}/issue`);

  // Before: nothing open, no credit (the invoice is paid in full).
  const payment = await apiCall<{ id: string; voucher: string }>(page, 'POST', '/payments', {
    paymentDate: today.iso,
    amount: '1250.00',
    allocations: [{ invoiceId: invoice.id, amount: '1250.00' }],
  });
  await page.goto(`/customers/${customer.id}`);
  const balance = page.getByRole('region', { name: 'Saldo' });
  await expect(balance.getByTestId('customer-credit')).toHaveText(/^0,00\skr$/);
  await expect(balance.getByRole('link', { name: 'Vis betalingene med kreditt' })).toHaveCount(0);

  // Credited in full after it was paid: the payment's 1 250,00 is the customer's credit.
  const note = await apiCall<{ documentNumber: string }>(page, 'POST', `/invoices/${invoice.id}/credit-note`, { reason: 'Reklamasjon' });
  await page.goto(`/customers/${customer.id}`);
  await expect(balance.getByTestId('customer-credit')).toHaveText(/^1\s250,00\skr$/);
  await expect(balance.getByTestId('customer-open')).toHaveText(/^0,00\skr$/);
  await expect(balance.getByTestId('customer-net')).toHaveText(/^-\s?1\s250,00\skr$|^−\s?1\s250,00\skr$/);
  await expect(balance).toContainText(payment.voucher);

  // The link opens the payments list for this customer, where the payment holds the credit.
  await balance.getByRole('link', { name: 'Vis betalingene med kreditt' }).click();
  await expect(page).toHaveURL(/\/payments\?customer=/);
  const row = page.locator(`tr[data-payment="${payment.voucher}"]`);
  await expect(row.getByTestId('payment-credit')).toHaveText(/^Kreditt: 1\s250,00\skr$/);

  // The invoice shows what the credit note released.
  await page.goto(`/invoices/${invoice.id}`);
  const section = page.getByRole('region', { name: 'Betalinger' });
  await expect(section.getByTestId('payment-released')).toHaveText(new RegExp(`^Frigjort til kundens kreditt: 1\\s250,00\\skr \\(kreditnota ${note.documentNumber}\\)$`));
  await expect(section.getByTestId('payments-paid')).toHaveText(/^0,00\skr$/);
});
