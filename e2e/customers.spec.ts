import { expect, test } from '@playwright/test';
import { apiCall, loginViaApi, unique } from './fixtures.js';

test.beforeEach(async ({ page }) => {
  await loginViaApi(page);
});

test('edit a customer, add a delivery address, archive and restore it', async ({ page }) => {
  const name = unique('Redigeres AS');
  await apiCall(page, 'POST', '/customers', { kind: 'business', name, orgNumber: '988077917' });

  await page.goto('/customers');
  const rows = page.locator('table tbody tr');
  await page.getByLabel('Søk i kunder').fill(name);
  await expect(rows).toHaveCount(1);
  await rows.first().getByRole('link', { name }).click();

  await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
  await expect(page.getByLabel('Organisasjonsnummer')).toHaveValue('988077917');

  // A bad PEPPOL id is explained beside its field, in Norwegian.
  await page.getByLabel('PEPPOL-ID').fill('tull');
  await page.getByRole('button', { name: 'Lagre' }).click();
  await expect(page.getByLabel('PEPPOL-ID')).toHaveAccessibleDescription(/Ugyldig PEPPOL-ID/);

  const renamed = `${name} Endret`;
  await page.getByLabel('PEPPOL-ID').fill('0192:988077917');
  await page.getByLabel('Navn', { exact: true }).fill(renamed);
  await page.getByLabel('Betalingsfrist (dager)').fill('30');
  await page.getByLabel('Fakturaspråk').selectOption('en');
  await page.getByLabel('Egen leveringsadresse').check();
  await page.getByLabel('Leveringsadresse, linje 1').fill('Lagerveien 5');
  await page.getByLabel('Postnummer (levering)').fill('4020');
  await page.getByLabel('Poststed (levering)').fill('Stavanger');
  await page.getByRole('button', { name: 'Lagre' }).click();
  await expect(page.getByText('Kunden er lagret.')).toBeVisible();

  // What was saved comes back when the page is opened afresh.
  await page.reload();
  await expect(page.getByLabel('Navn', { exact: true })).toHaveValue(renamed);
  await expect(page.getByLabel('Betalingsfrist (dager)')).toHaveValue('30');
  await expect(page.getByLabel('Fakturaspråk')).toHaveValue('en');
  await expect(page.getByLabel('Egen leveringsadresse')).toBeChecked();
  await expect(page.getByLabel('Poststed (levering)')).toHaveValue('Stavanger');
  await expect(page.getByLabel('PEPPOL-ID')).toHaveValue('0192:988077917');

  // Archive: asks first, then hides the customer from the default list.
  await page.getByRole('button', { name: 'Arkiver' }).click();
  await page.getByRole('group', { name: /Arkiver/ }).getByRole('button', { name: 'Arkiver' }).click();
  await expect(page.getByText('Kunden er arkivert og vises ikke i lister.')).toBeVisible();

  await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Kunder' }).click();
  await page.getByLabel('Søk i kunder').fill(renamed);
  await expect(page.getByText('Ingen treff.')).toBeVisible();
  await page.getByLabel('Vis arkiverte').check();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Arkivert');

  // Restore it.
  await rows.first().getByRole('link', { name: renamed }).click();
  await page.getByRole('button', { name: 'Gjenopprett' }).click();
  await expect(page.getByText('Kunden er gjenopprettet.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Arkiver' })).toBeVisible();
});

test('a private person cannot get an organisation number, and the kind filter works', async ({ page }) => {
  const tag = unique('Filter');
  await apiCall(page, 'POST', '/customers', { kind: 'business', name: `${tag} Bedrift AS` });
  await apiCall(page, 'POST', '/customers', { kind: 'person', name: `${tag} Person` });

  await page.goto('/customers');
  const rows = page.locator('table tbody tr');
  await page.getByLabel('Søk i kunder').fill(tag);
  await expect(rows).toHaveCount(2);
  await page.getByLabel('Type').selectOption('person');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`${tag} Person`);
  await expect(rows.first()).toContainText('Privatperson');
  await page.getByLabel('Type').selectOption('business');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`${tag} Bedrift AS`);
});

test('"Vis flere" loads the next page of customers', async ({ page }) => {
  const tag = unique('Side');
  for (let i = 1; i <= 30; i++) {
    await apiCall(page, 'POST', '/customers', { kind: 'person', name: `${tag} kunde ${String(i).padStart(2, '0')}` });
  }
  await page.goto('/customers');
  await page.getByLabel('Søk i kunder').fill(tag);
  const rows = page.locator('table tbody tr');
  // Counted by content: the unfiltered first page also has 25 rows.
  await expect(rows.filter({ hasText: tag })).toHaveCount(25);
  await expect(rows).toHaveCount(25);
  await page.getByRole('button', { name: 'Vis flere' }).click();
  await expect(rows.filter({ hasText: tag })).toHaveCount(30);
  await expect(rows).toHaveCount(30);
  await expect(page.getByRole('button', { name: 'Vis flere' })).toHaveCount(0);
  // In customer-number order, the last one created is last.
  await expect(rows.last()).toContainText(`${tag} kunde 30`);
});

test('a missing name is shown beside the name field', async ({ page }) => {
  await page.goto('/customers/new');
  await page.getByRole('button', { name: 'Opprett' }).click();
  const nameField = page.getByLabel('Navn', { exact: true });
  await expect(nameField).toHaveAttribute('aria-invalid', 'true');
  await expect(nameField).toHaveAccessibleDescription(/Må fylles ut\./);
  await expect(nameField).toBeFocused();
});
