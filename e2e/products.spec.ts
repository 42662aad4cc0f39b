import { expect, test } from '@playwright/test';
import { apiCall, loginViaApi, unique } from './fixtures.js';

test.beforeEach(async ({ page }) => {
  await loginViaApi(page);
});

test('a product priced "1250,5" is listed as "1 250,50" and can be edited', async ({ page }) => {
  const number = unique('P').replace(' ', '-');
  const name = unique('Rådgivning');

  await page.goto('/products');
  await page.getByRole('link', { name: 'Nytt produkt' }).click();
  await expect(page.getByRole('heading', { name: 'Nytt produkt' })).toBeVisible();

  await page.getByLabel('Produktnummer').fill(number);
  await page.getByLabel('Navn', { exact: true }).fill(name);
  await page.getByLabel('Beskrivelse').fill('Timepris for rådgivning');
  await page.getByLabel('Enhet', { exact: true }).selectOption({ label: 'timer' });
  await page.getByLabel('Enhetspris (eks. mva)').fill('1250,5');
  // The hint previews the amount in Norwegian format while typing.
  await expect(page.getByLabel('Enhetspris (eks. mva)')).toHaveAccessibleDescription(/^1\s250,50 kr$/);
  await page.getByLabel('MVA-kode').selectOption('31');
  await expect(page.getByLabel('MVA-kode').locator('option:checked')).toHaveText('31 – Utgående mva, middels sats 15 %');
  await expect(page.getByLabel('Inntektskonto')).toHaveAttribute('placeholder', '3030');
  await page.getByRole('button', { name: 'Opprett' }).click();

  await expect(page).toHaveURL(/\/products$/);
  await expect(page.getByText('Produktet er opprettet.')).toBeVisible();
  await page.getByLabel('Søk i produkter').fill(number);
  const rows = page.locator('table tbody tr');
  await expect(rows).toHaveCount(1);
  const row = rows.first();
  await expect(row).toContainText(name);
  await expect(row).toContainText('timer');
  await expect(row).toContainText('31 (15 %)');
  await expect(row.locator('td.num')).toHaveText('1 250,50');
  // Intl's nb-NO grouping separator is a no-break space, as Norwegian typesetting wants.
  expect(await row.locator('td.num').textContent()).toMatch(/^1[\u00a0\u202f ]250,50$/);

  // Editing shows the price as typed in Norway, and saves a new one.
  await row.getByRole('link', { name }).click();
  await expect(page.getByLabel('Enhetspris (eks. mva)')).toHaveValue('1250,50');
  await expect(page.getByLabel('Enhet', { exact: true })).toHaveValue('HUR');
  await page.getByLabel('Enhetspris (eks. mva)').fill('12 999,125');
  await page.getByRole('button', { name: 'Lagre' }).click();
  await expect(page.getByText('Produktet er lagret.')).toBeVisible();

  await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Produkter' }).click();
  await page.getByLabel('Søk i produkter').fill(number);
  await expect(rows.first().locator('td.num')).toHaveText('12 999,125');
});

test('price and number problems are shown beside the fields', async ({ page }) => {
  const taken = unique('T').replace(' ', '-');
  await apiCall(page, 'POST', '/products', { productNumber: taken, name: 'Finnes fra før', unitPrice: '10' });

  await page.goto('/products/new');
  await page.getByLabel('Produktnummer').fill(taken);
  await page.getByLabel('Navn', { exact: true }).fill('Dobbel');
  await page.getByLabel('Enhetspris (eks. mva)').fill('12x');
  await page.getByLabel('Inntektskonto').fill('30');
  await page.getByRole('button', { name: 'Opprett' }).click();
  await expect(page.getByLabel('Enhetspris (eks. mva)')).toHaveAccessibleDescription(/Skriv et tall med høyst seks desimaler/);
  await expect(page.getByLabel('Inntektskonto')).toHaveAccessibleDescription(/Bruk et firesifret kontonummer/);

  await page.getByLabel('Enhetspris (eks. mva)').fill('99,9');
  await page.getByLabel('Inntektskonto').fill('3000');
  await page.getByRole('button', { name: 'Opprett' }).click();
  await expect(page.getByLabel('Produktnummer')).toHaveAccessibleDescription(/Produktnummeret er allerede i bruk\./);
  await expect(page.getByRole('alert').first()).toContainText('Produktnummeret er allerede i bruk.');
});

test('archived products leave the list until "Vis arkiverte" is ticked', async ({ page }) => {
  const number = unique('A').replace(' ', '-');
  const product = await apiCall<{ id: string }>(page, 'POST', '/products', { productNumber: number, name: 'Utgått vare', unitPrice: '5' });
  await page.goto(`/products/${product.id}`);
  await page.getByRole('button', { name: 'Arkiver' }).click();
  await page.getByRole('group').getByRole('button', { name: 'Arkiver' }).click();
  await expect(page.getByText('Produktet er arkivert og vises ikke i lister.')).toBeVisible();

  await page.goto('/products');
  await page.getByLabel('Søk i produkter').fill(number);
  await expect(page.getByText('Ingen treff.')).toBeVisible();
  await page.getByLabel('Vis arkiverte').check();
  await expect(page.locator('table tbody tr')).toHaveCount(1);
  await expect(page.locator('table tbody tr').first()).toContainText('Arkivert');
});
