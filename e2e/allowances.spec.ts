import { expect, test, type Locator, type Page } from '@playwright/test';
import { apiCall, COMPANY, loginViaApi, unique } from './fixtures.js';

/**
 * Document-level allowances (rabatter) and charges (tillegg) in the UI: written in the editor with
 * live totals that the server's saved figures must equal to the øre, kept over a reload, shown on
 * the issued invoice, and credited by amount from the credit-note dialog.
 */

/** U+2212, as Intl writes negative amounts in nb-NO. */
const MINUS = '\u2212';

function today(): string {
  return new Intl.DateTimeFormat('nb-NO', { timeZone: 'Europe/Oslo', day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date());
}

function line(page: Page, n: number): Locator {
  return page.getByRole('group', { name: `Linje ${n}`, exact: true });
}

function entry(page: Page, n: number): Locator {
  return page.getByRole('group', { name: `Rabatt/tillegg ${n}`, exact: true });
}

function sumRow(page: Page, name: RegExp): Locator {
  return page.locator('.sum-table').getByRole('row', { name });
}

function vatRow(page: Page, rate: string): Locator {
  return page.getByRole('table', { name: 'Mva-spesifikasjon' }).getByRole('row').filter({ hasText: rate });
}

/**
 * 2 × 1 000,00 + 3 × 33,35 = 2 100,05; 10 % rabatt = 210,005 → 210,01 (rounded once, half away
 * from zero); frakt 250,00; eks. mva 2 140,04; mva 25 % 535,01; totalt 2 675,05.
 */
async function expectFigures(page: Page): Promise<void> {
  await expect(sumRow(page, /^Sum linjer/)).toContainText('2 100,05 kr');
  await expect(sumRow(page, /^Rabatt: Kunderabatt/)).toContainText(`${MINUS}210,01 kr`);
  await expect(sumRow(page, /^Rabatt: Kunderabatt/)).toContainText('10 %');
  await expect(sumRow(page, /^Tillegg: Frakt/)).toContainText('250,00 kr');
  await expect(sumRow(page, /^Sum eks\. mva/)).toContainText('2 140,04 kr');
  await expect(vatRow(page, '25 %')).toContainText('2 140,04');
  await expect(vatRow(page, '25 %')).toContainText('535,01');
  await expect(sumRow(page, /^Totalt inkl\. mva/)).toContainText('2 675,05 kr');
}

test.beforeEach(async ({ page }) => {
  await loginViaApi(page);
});

test('a 10 % rabatt and 250 kr frakt: live totals equal the saved ones, survive a reload and are on the issued invoice', async ({ page }) => {
  await apiCall(page, 'PATCH', '/company', { bankAccount: COMPANY.bankAccount });
  const customer = await apiCall<{ id: string; name: string }>(page, 'POST', '/customers', {
    kind: 'business',
    name: unique('Rabattkunden AS'),
    address: { line1: 'Storgata 1', postalCode: '0155', city: 'Oslo', countryCode: 'NO' },
  });

  await page.goto('/invoices/new');
  await page.getByRole('combobox', { name: 'Kunde' }).fill(customer.name);
  await page.getByRole('option', { name: customer.name }).click();
  await page.getByRole('textbox', { name: 'Leveringsdato' }).fill(today());

  await line(page, 1).getByLabel('Beskrivelse').fill('Konsulenttimer');
  await line(page, 1).getByLabel('Antall').fill('2');
  await line(page, 1).getByLabel('Enhetspris').fill('1 000,00');
  await page.getByRole('button', { name: 'Legg til linje' }).click();
  await line(page, 2).getByLabel('Beskrivelse').fill('Reisetid');
  await line(page, 2).getByLabel('Antall').fill('3');
  await line(page, 2).getByLabel('Enhetspris').fill('33,35');
  await expect(line(page, 2).getByLabel('Beløp eks. mva')).toHaveText('100,05');

  // No allowances yet: the totals have no "Sum linjer" row.
  await expect(page.getByText('Ingen rabatter eller tillegg.')).toBeVisible();
  await expect(sumRow(page, /^Sum linjer/)).toHaveCount(0);

  // A 10 % rabatt (a percentage is the default for an allowance).
  await page.getByRole('button', { name: 'Legg til rabatt' }).click();
  await expect(entry(page, 1).getByLabel('Type')).toHaveValue('allowance');
  await expect(entry(page, 1).getByLabel('Årsak', { exact: true })).toBeFocused();
  await entry(page, 1).getByLabel('Årsak', { exact: true }).fill('Kunderabatt');
  await entry(page, 1).getByLabel('Årsakskode').selectOption('95');
  await expect(entry(page, 1).getByLabel('Angis i')).toHaveValue('percent');
  await entry(page, 1).getByLabel('Prosent').fill('10');
  await expect(entry(page, 1).getByLabel('Beløp eks. mva')).toHaveText(`${MINUS}210,01`);

  // A 250 kr frakt: choosing the code FC names the reason.
  await page.getByRole('button', { name: 'Legg til tillegg' }).click();
  await expect(entry(page, 2).getByLabel('Type')).toHaveValue('charge');
  await entry(page, 2).getByLabel('Årsakskode').selectOption('FC');
  await expect(entry(page, 2).getByLabel('Årsak', { exact: true })).toHaveValue('Frakt');
  await expect(entry(page, 2).getByLabel('Angis i')).toHaveValue('amount');
  await entry(page, 2).getByLabel('Beløp', { exact: true }).fill('250');
  await expect(entry(page, 2).getByLabel('Beløp eks. mva')).toHaveText('250,00');

  // Live totals, before anything is saved.
  await expect(page.getByText('Ikke lagret')).toBeVisible();
  await expectFigures(page);

  // The percentage follows the lines as they change, then back.
  await line(page, 2).getByLabel('Antall').fill('13');
  await expect(entry(page, 1).getByLabel('Beløp eks. mva')).toHaveText(`${MINUS}243,36`);
  await line(page, 2).getByLabel('Antall').fill('3');
  await expect(entry(page, 1).getByLabel('Beløp eks. mva')).toHaveText(`${MINUS}210,01`);

  // Saved: the server's figures are the same.
  await page.getByRole('button', { name: 'Lagre utkast' }).click();
  await expect(page.getByText('Utkastet er opprettet.')).toBeVisible();
  await expect(page).toHaveURL(/\/invoices\/[0-9a-f-]{36}$/);
  await expect(page.getByText('Tallene er beregnet av serveren ved siste lagring.')).toBeVisible();
  await expect(page.getByText('Ikke lagret')).toHaveCount(0);
  await expectFigures(page);
  const id = page.url().split('/').at(-1)!;
  const stored = await apiCall<{
    allowanceCharges: Array<{ type: string; reason: string; reasonCode: string | null; amountMinor: number; percent: string | null; baseMinor: number | null }>;
    totals: { lineTotalMinor: number; allowanceTotalMinor: number; chargeTotalMinor: number; netMinor: number; grossMinor: number };
  }>(page, 'GET', `/invoices/${id}`);
  expect(stored.allowanceCharges).toEqual([
    expect.objectContaining({ type: 'allowance', reason: 'Kunderabatt', reasonCode: '95', amountMinor: 21_001, percent: '10', baseMinor: 210_005 }),
    expect.objectContaining({ type: 'charge', reason: 'Frakt', reasonCode: 'FC', amountMinor: 25_000, percent: null }),
  ]);
  expect(stored.totals).toMatchObject({ lineTotalMinor: 210_005, allowanceTotalMinor: 21_001, chargeTotalMinor: 25_000, netMinor: 214_004, grossMinor: 267_505 });

  // Reloaded: the same rows and figures.
  await page.reload();
  await expect(entry(page, 1).getByLabel('Årsak', { exact: true })).toHaveValue('Kunderabatt');
  await expect(entry(page, 1).getByLabel('Prosent')).toHaveValue('10');
  await expect(entry(page, 1).getByLabel('Årsakskode')).toHaveValue('95');
  await expect(entry(page, 2).getByLabel('Årsak', { exact: true })).toHaveValue('Frakt');
  await expect(entry(page, 2).getByLabel('Beløp', { exact: true })).toHaveValue('250,00');
  await expect(entry(page, 1).getByLabel('Beløp eks. mva')).toHaveText(`${MINUS}210,01`);
  await expectFigures(page);

  // Issued: the allowance and the charge are listed under the lines, with the line total.
  await page.getByRole('button', { name: 'Utsted', exact: true }).click();
  await page.getByRole('button', { name: 'Utsted nå' }).click();
  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toHaveText(/^Faktura \d+$/);
  const table = page.getByRole('table', { name: 'Rabatter og tillegg' });
  await expect(table.getByRole('row').filter({ hasText: 'Kunderabatt' })).toContainText('Rabatt');
  await expect(table.getByRole('row').filter({ hasText: 'Kunderabatt' })).toContainText('10 % av 2 100,05');
  await expect(table.getByRole('row').filter({ hasText: 'Kunderabatt' })).toContainText(`${MINUS}210,01`);
  await expect(table.getByRole('row').filter({ hasText: 'Frakt' })).toContainText('(FC)');
  await expect(table.getByRole('row').filter({ hasText: 'Frakt' })).toContainText('250,00');
  await expect(page.getByRole('table', { name: 'Linjer' }).getByRole('row', { name: /Sum linjer/ })).toContainText('2 100,05');
  await expectFigures(page);
  await expect(page.getByRole('table', { name: 'Beløp' }).getByRole('row', { name: /Utestående/ })).toContainText('2 675,05 kr');
  const number = (await heading.textContent())!.replace('Faktura ', '');
  const journal = page.getByRole('table', { name: new RegExp(`Bilag ${number},`) });
  await expect(journal.getByRole('row').filter({ hasText: '1500' })).toContainText('2 675,05');
  await expect(journal.getByRole('row').filter({ hasText: '3000' })).toContainText('2 140,04');
  await expect(journal.getByRole('row').filter({ hasText: '2700' })).toContainText('535,01');

  // Credit 100 kr of the frakt from the dialog: the credit note has the charge, 125,00 with VAT.
  await page.getByRole('button', { name: 'Krediter' }).click();
  await page.getByLabel('Velg linjer').check();
  await page.getByLabel(/^Krediter rabatt\/tillegg 2:/).check();
  await page.getByRole('group', { name: 'Krediter etter' }).getByLabel('Beløp eks. mva').check();
  await page.getByLabel('Beløp eks. mva (rabatt/tillegg 2)').fill('100');
  await page.getByRole('button', { name: 'Utsted kreditnota' }).click();
  await expect(heading).toHaveText(/^Kreditnota \d+$/);
  await expect(page.getByRole('table', { name: 'Rabatter og tillegg' }).getByRole('row').filter({ hasText: 'Frakt' })).toContainText('100,00');
  await expect(sumRow(page, /^Totalt inkl\. mva/)).toContainText('125,00 kr');
});

test('a percentage rabatt without lines of its VAT code, and a bad amount, are shown beside their fields', async ({ page }) => {
  await apiCall(page, 'PATCH', '/company', { bankAccount: COMPANY.bankAccount });
  const customer = await apiCall<{ id: string; name: string }>(page, 'POST', '/customers', {
    kind: 'business',
    name: unique('Feilrabatt AS'),
    address: { line1: 'Storgata 1', postalCode: '0155', city: 'Oslo', countryCode: 'NO' },
  });
  await page.goto('/invoices/new');
  await page.getByRole('combobox', { name: 'Kunde' }).fill(customer.name);
  await page.getByRole('option', { name: customer.name }).click();
  await line(page, 1).getByLabel('Beskrivelse').fill('Konsulenttimer');
  await line(page, 1).getByLabel('Enhetspris').fill('1 000');

  // A charge with three decimals: the API refuses it, and says so beside the amount.
  await page.getByRole('button', { name: 'Legg til tillegg' }).click();
  await entry(page, 1).getByLabel('Årsak', { exact: true }).fill('Gebyr');
  await entry(page, 1).getByLabel('Beløp', { exact: true }).fill('12,345');
  await expect(entry(page, 1).getByLabel('Beløp eks. mva')).toHaveText('—');
  await page.getByRole('button', { name: 'Lagre utkast' }).click();
  await expect(entry(page, 1).getByLabel('Beløp', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(entry(page, 1).getByText('Skriv et positivt beløp med høyst to desimaler, f.eks. 250,00.')).toBeVisible();

  // A 10 % rabatt on VAT code 31, where there are no lines: saved, but it cannot be issued.
  await entry(page, 1).getByLabel('Beløp', { exact: true }).fill('12,50');
  await page.getByRole('button', { name: 'Legg til rabatt' }).click();
  await entry(page, 2).getByLabel('Årsak', { exact: true }).fill('Rabatt på mat');
  await entry(page, 2).getByLabel('Prosent').fill('10');
  await entry(page, 2).getByLabel('MVA-kode').selectOption('31');
  await expect(entry(page, 2).getByLabel('Beløp eks. mva')).toHaveText('0,00');
  await page.getByRole('button', { name: 'Lagre utkast' }).click();
  await expect(page.getByText('Utkastet er opprettet.')).toBeVisible();
  await expect(sumRow(page, /^Sum eks\. mva/)).toContainText('1 012,50 kr');

  await page.getByRole('button', { name: 'Utsted', exact: true }).click();
  await page.getByRole('button', { name: 'Utsted nå' }).click();
  await expect(page.getByText('Rabatt/tillegg 2: Beløpet må være over null', { exact: false })).toBeVisible();
  await expect(entry(page, 2).getByLabel('Prosent')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('heading', { name: 'Utkast til faktura', level: 1 })).toBeVisible();
});
