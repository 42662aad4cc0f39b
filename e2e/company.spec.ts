import { expect, test } from '@playwright/test';
import { apiCall, COMPANY, loginViaApi, unique } from './fixtures.js';

test.beforeEach(async ({ page }) => {
  await loginViaApi(page);
});

test('the owner edits the company settings', async ({ page }) => {
  await page.goto('/company');
  await expect(page.getByRole('heading', { name: 'Firma', level: 1 })).toBeVisible();
  await expect(page.getByLabel('Organisasjonsnummer')).toHaveValue('923 609 016');
  await expect(page.getByLabel('Organisasjonsnummer')).toHaveAttribute('readonly', '');

  // Wrong bank account and BIC: each explained beside its field.
  await page.getByLabel('Kontonummer').fill('1234');
  await page.getByLabel('BIC').fill('!!');
  await page.getByRole('button', { name: 'Lagre', exact: true }).click();
  await expect(page.getByLabel('Kontonummer')).toHaveAccessibleDescription(/Ugyldig kontonummer/);
  await expect(page.getByLabel('BIC')).toHaveAccessibleDescription(/Ugyldig BIC/);

  const newName = `${COMPANY.legalName} (${unique('test').split(' ')[1]})`;
  await page.getByLabel('Kontonummer').fill(COMPANY.bankAccount);
  await page.getByLabel('BIC').fill('');
  await page.getByLabel('Juridisk navn').fill(newName);
  await page.getByLabel('Telefon').fill('+47 55 00 00 00');
  await page.getByLabel('Standard betalingsfrist (dager)').fill('21');
  await page.getByRole('button', { name: 'Lagre', exact: true }).click();
  await expect(page.getByText('Firmaopplysningene er lagret.')).toBeVisible();
  // The company switcher follows the new name.
  await expect(page.getByLabel('Aktivt firma').locator('option:checked')).toHaveText(newName);

  await page.reload();
  await expect(page.getByLabel('Telefon')).toHaveValue('+47 55 00 00 00');
  await expect(page.getByLabel('Standard betalingsfrist (dager)')).toHaveValue('21');

  // Put the name back for the other specs.
  await page.getByLabel('Juridisk navn').fill(COMPANY.legalName);
  await page.getByRole('button', { name: 'Lagre', exact: true }).click();
  await expect(page.getByLabel('Aktivt firma').locator('option:checked')).toHaveText(COMPANY.legalName);
});

test('the company switcher moves between companies with their own data', async ({ page }) => {
  // Name sorts after the first company, so log-ins elsewhere still land in the first one.
  const second = await apiCall<{ id: string; legalName: string }>(page, 'POST', '/companies', {
    legalName: `Vestvind Test AS ${unique('x').split(' ')[1]}`,
    orgNumber: '914778271',
  });
  await apiCall(page, 'POST', '/customers', { kind: 'person', name: unique('Bare i første firma') });

  await page.goto('/customers/new');
  const switcher = page.getByLabel('Aktivt firma');
  await expect(switcher.locator('option')).toHaveCount(2);
  await switcher.selectOption({ label: second.legalName });

  // Back to the section list, now in the new (empty) company.
  await expect(page).toHaveURL(/\/customers$/);
  await expect(page.getByText('Ingen kunder ennå.')).toBeVisible();
  await expect(page.getByRole('banner')).toContainText('Eier');

  await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Firma' }).click();
  await expect(page.getByLabel('Juridisk navn')).toHaveValue(second.legalName);

  await switcher.selectOption({ label: COMPANY.legalName });
  await expect(page.getByLabel('Juridisk navn')).toHaveValue(COMPANY.legalName);
  await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Kunder' }).click();
  await expect(page.locator('table tbody tr').first()).toBeVisible();
});
