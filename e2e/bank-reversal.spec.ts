import { expect, test, type Locator } from '@playwright/test';
import { ocrGiroFile } from '../test/helpers/bank-files.js';
import { apiCall, COMPANY, loginViaApi, unique } from './fixtures.js';

/**
 * Reversals from the bank in the UI: an OCR giro file with two type-20 reversals (free text, no
 * KID) whose payment the matcher cannot name with certainty; the summary counts them, the review
 * queue shows them as "Tilbakeføring" with the suggested payment; one is reversed by hand (the
 * invoice is open again), the other dismissed with a reason.
 */

function osloDate(): { iso: string; ddmmyy: string } {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const [year, month, day] = parts.split('-');
  return { iso: parts, ddmmyy: `${day}${month}${year!.slice(2)}` };
}

function fact(scope: Locator, label: string): Locator {
  return scope.locator('.facts__item').filter({ has: scope.page().locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd');
}

test.beforeEach(async ({ page }) => {
  await loginViaApi(page);
});

test('a reversal from the bank waits for review, is reversed by hand against the suggested payment, another is dismissed', async ({ page }) => {
  test.setTimeout(60_000);
  const today = osloDate();
  await apiCall(page, 'PATCH', '/company', { bankAccount: COMPANY.bankAccount });
  const customer = await apiCall<{ id: string }>(page, 'POST', '/customers', {
    kind: 'business',
    name: unique('Tilbakeført AS'),
    address: { line1: 'Strandkaien 4', postalCode: '5013', city: 'Bergen', countryCode: 'NO' },
  });
  const draft = await apiCall<{ id: string }>(page, 'POST', '/invoices', {
    customerId: customer.id,
    deliveryDate: today.iso,
    lines: [{ description: 'Sjømat', quantity: '1', unitPrice: '1111.20', vatCode: '3' }],
  });
  const invoice = await apiCall<{ id: string; openMinor: number }>(page, 'POST', `/invoices/${draft.id}/issue`);
  expect(invoice.openMinor).toBe(138_900);
  const payment = await apiCall<{ id: string; voucher: string }>(page, 'POST', '/payments', {
    paymentDate: today.iso,
    amount: '1389.00',
    allocations: [{ invoiceId: invoice.id, amount: '1389.00' }],
  });
  expect((await apiCall<{ status: string }>(page, 'GET', `/invoices/${invoice.id}`)).status).toBe('paid');

  const tag = unique('E2E').split(' ')[1]!;
  const fileName = `ocr-reversals-${tag}.txt`;
  const file = ocrGiroFile(
    [
      { type: '20', amount: 138_900, text: `Retur ${tag}`, netsDate: today.ddmmyy },
      { type: '20', amount: 4_321, text: `Ukjent retur ${tag}`, netsDate: today.ddmmyy },
    ],
    { firstTransactionNumber: Number.parseInt(tag, 36) % 9_000_000 },
  );

  await page.goto('/bank-imports');
  await expect(page.getByRole('heading', { level: 1, name: 'Bankfiler' })).toBeVisible();
  await page.getByLabel('Velg fil').setInputFiles({ name: fileName, mimeType: 'text/plain', buffer: file });
  const result = page.locator('.bank-result');
  await expect(result).toHaveAttribute('data-status', 'completed');
  await expect(fact(result, 'Betalinger')).toHaveText('0');
  await expect(fact(result, 'Tilbakeføringer')).toHaveText('2');
  await expect(fact(result, 'Tilbakeført automatisk')).toHaveText('0');
  await expect(fact(result, 'Tilbakeføringer til kontroll')).toHaveText('2');
  await expect(fact(result, 'Andre transaksjoner')).toHaveText('0');
  const sums = result.getByRole('table', { name: 'Tilbakeføringer fra banken per valuta' }).locator('tr[data-currency="NOK"]');
  await expect(sums.locator('td')).toHaveText(['1 432,21 kr', '0,00 kr', '1 432,21 kr', '0,00 kr']);

  // ---- The review queue: reverse the first against the suggested payment ----
  await result.getByRole('link', { name: 'Kontroller tilbakeføringene som venter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Til kontroll' })).toBeVisible();
  const row = page.locator('tbody tr[data-kind="reversal"]').filter({ hasText: `Retur ${tag}` }).filter({ hasNotText: 'Ukjent' });
  await expect(row).toContainText('Tilbakeføring');
  await expect(row).toContainText('−1 389,00 kr');
  await expect(row).toContainText('Bare beløpet stemmer med en bokført betaling.');
  // A reversal is not matched to invoices: no "Avstem" button.
  await expect(row.getByRole('button', { name: /^Avstem/ })).toHaveCount(0);
  await row.getByRole('button', { name: 'Tilbakefør betaling på −1 389,00 kr' }).click();
  const form = page.getByRole('region', { name: 'Tilbakeføring fra banken på 1 389,00 kr' });
  const option = form.locator(`li[data-payment-id="${payment.id}"]`);
  await expect(option).toContainText(`Betaling ${payment.voucher}`);
  await option.getByRole('button', { name: `Tilbakefør betaling ${payment.voucher}` }).click();
  await expect(page.getByText(`Betalingen ${payment.voucher} er tilbakeført.`)).toBeVisible();
  await expect(row).toHaveCount(0);
  expect(await apiCall<{ status: string }>(page, 'GET', `/payments/${payment.id}`)).toMatchObject({ status: 'reversed' });
  expect(await apiCall<{ status: string; openMinor: number }>(page, 'GET', `/invoices/${invoice.id}`)).toMatchObject({ status: 'issued', openMinor: 138_900 });

  // ---- The other: dismissed with a reason ----
  const other = page.locator('tbody tr[data-kind="reversal"]').filter({ hasText: `Ukjent retur ${tag}` });
  await other.getByRole('button', { name: 'Avvis transaksjonen på −43,21 kr' }).click();
  const dismiss = page.getByRole('form', { name: 'Avvis transaksjonen på −43,21 kr' });
  await dismiss.getByRole('button', { name: 'Avvis transaksjonen' }).click();
  await expect(dismiss.getByText('Skriv en begrunnelse.')).toBeVisible();
  await dismiss.getByLabel('Begrunnelse').fill('Gjelder ikke oss');
  await dismiss.getByRole('button', { name: 'Avvis transaksjonen' }).click();
  await expect(page.getByText('Transaksjonen er avvist.')).toBeVisible();
  await expect(other).toHaveCount(0);
});
