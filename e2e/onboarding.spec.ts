import { expect, test } from '@playwright/test';
import { COMPANY, OWNER } from './fixtures.js';

/**
 * The "done when" flow, on the fresh database of this run: onboarding, log-out,
 * log-in, a customer with a field error on the way, the list and its search.
 * Runs first (project "onboarding" in playwright.config.ts); the other specs
 * log in as the owner created here.
 */
test.describe.configure({ mode: 'serial' });

test('a fresh app onboards the company and owner, who can then work with customers', async ({ page }) => {
  await page.goto('/');

  // 1. First run shows onboarding.
  await expect(page.getByRole('heading', { name: 'Velkommen til Fakturaflyt' })).toBeVisible();

  // A too-short password is caught beside the field before anything is created.
  await page.getByLabel('Juridisk navn').fill(COMPANY.legalName);
  await page.getByLabel('Organisasjonsnummer').fill(COMPANY.orgNumber);
  await expect(page.getByLabel('Registrert i Merverdiavgiftsregisteret')).toBeChecked();
  await expect(page.getByLabel('Registrert i Foretaksregisteret')).toBeChecked();
  await page.getByLabel('Gateadresse').fill('Fjordgata 1');
  await page.getByLabel('Postnummer').fill('5003');
  await page.getByLabel('Poststed').fill('Bergen');
  await page.getByLabel('Kontonummer').fill(COMPANY.bankAccount);
  await page.getByLabel('Firmaets e-post').fill('post@fjordtest.no');
  await page.getByLabel('Ditt navn').fill(OWNER.name);
  await page.getByLabel('Din e-post').fill(OWNER.email);
  await page.getByLabel('Passord').fill('kort');
  await page.getByRole('button', { name: 'Opprett firma og logg inn' }).click();
  await expect(page.getByLabel('Passord')).toHaveAccessibleDescription(/Passordet må ha minst 10 tegn/);

  // An invalid bank account comes back from the API as a field error in Norwegian.
  await page.getByLabel('Passord').fill(OWNER.password);
  await page.getByLabel('Kontonummer').fill('86011117948');
  await page.getByRole('button', { name: 'Opprett firma og logg inn' }).click();
  await expect(page.getByLabel('Kontonummer')).toHaveAccessibleDescription(/Ugyldig kontonummer/);
  await expect(page.getByLabel('Kontonummer')).toBeFocused();

  // 2. Create company + owner; the owner is logged in.
  await page.getByLabel('Kontonummer').fill(COMPANY.bankAccount);
  await page.getByRole('button', { name: 'Opprett firma og logg inn' }).click();
  await expect(page.getByRole('heading', { name: 'Kunder', level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/\/customers$/);
  await expect(page.getByRole('banner').getByText(OWNER.name)).toBeVisible();
  await expect(page.getByLabel('Aktivt firma')).toHaveValue(/.+/);
  await expect(page.getByLabel('Aktivt firma').locator('option:checked')).toHaveText(COMPANY.legalName);
  const nav = page.getByRole('navigation', { name: 'Hovedmeny' });
  for (const item of ['Fakturaer', 'Kunder', 'Produkter', 'Brukere', 'API-nøkler', 'Firma', 'Logg']) {
    await expect(nav.getByRole('link', { name: item, exact: true })).toBeVisible();
  }

  // Onboarding is done: the API says so.
  const status = await page.request.get('/api/v1/onboarding');
  expect(await status.json()).toEqual({ needed: false });

  // 3. Log out.
  await page.getByRole('button', { name: 'Logg ut' }).click();
  await expect(page.getByRole('heading', { name: 'Logg inn' })).toBeVisible();
  expect((await page.request.get('/api/v1/auth/session')).status()).toBe(401);

  // A wrong password is refused with a clear message.
  await page.getByLabel('E-post').fill(OWNER.email);
  await page.getByLabel('Passord').fill('feil-passord-her');
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await expect(page.getByRole('alert')).toContainText('Feil e-post eller passord.');

  // 4. Log in again: the start page is the (still empty) invoice list.
  await page.getByLabel('Passord').fill(OWNER.password);
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await expect(page.getByRole('heading', { name: 'Fakturaer', level: 1 })).toBeVisible();
  await expect(page.getByText('Ingen fakturaer ennå.')).toBeVisible();
  await nav.getByRole('link', { name: 'Kunder' }).click();
  await expect(page.getByRole('heading', { name: 'Kunder', level: 1 })).toBeVisible();
  await expect(page.getByText('Ingen kunder ennå.')).toBeVisible();

  // 5. Add a business customer; an invalid org number is shown beside the field first.
  await page.getByRole('link', { name: 'Ny kunde' }).click();
  await expect(page.getByRole('heading', { name: 'Ny kunde' })).toBeVisible();
  await expect(page.getByLabel('Bedrift')).toBeChecked();
  await page.getByLabel('Navn', { exact: true }).fill('Havbris Konsult AS');
  await page.getByLabel('Organisasjonsnummer').fill('974760672');
  await page.getByLabel('E-post').fill('faktura@havbris.no');
  await page.getByLabel('Poststed', { exact: true }).fill('Ålesund');
  await page.getByRole('button', { name: 'Opprett' }).click();

  const orgNumber = page.getByLabel('Organisasjonsnummer');
  await expect(orgNumber).toHaveAttribute('aria-invalid', 'true');
  await expect(orgNumber).toHaveAccessibleDescription(/Ugyldig organisasjonsnummer/);
  // The message sits in the same field block as the input, right under it.
  const orgField = page.locator('.field', { has: orgNumber });
  await expect(orgField.getByText('Ugyldig organisasjonsnummer. Det skal ha 9 siffer og riktig kontrollsiffer.')).toBeVisible();
  await expect(page.getByRole('alert').first()).toContainText('Noen felt må rettes');
  // Only the org number is wrong: the other fields are not marked.
  await expect(page.getByLabel('Navn', { exact: true })).not.toHaveAttribute('aria-invalid', 'true');

  await orgNumber.fill('974760673');
  await page.getByRole('button', { name: 'Opprett' }).click();

  // 6. Back on the list, the customer is there.
  await expect(page).toHaveURL(/\/customers$/);
  await expect(page.getByText('Kunden er opprettet.')).toBeVisible();
  const rows = page.locator('table tbody tr');
  await expect(rows.filter({ hasText: 'Havbris Konsult AS' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'Havbris Konsult AS' })).toContainText('974 760 673');
  await expect(rows.filter({ hasText: 'Havbris Konsult AS' })).toContainText('Ålesund');

  // A second customer, a private person (no org number field for persons).
  await page.getByRole('link', { name: 'Ny kunde' }).click();
  await page.getByLabel('Privatperson').check();
  await expect(page.getByLabel('Organisasjonsnummer')).toHaveCount(0);
  await page.getByLabel('Navn', { exact: true }).fill('Ola Nordmann');
  await page.getByRole('button', { name: 'Opprett' }).click();
  await expect(rows).toHaveCount(2);

  // 7. Search finds it (by name, and by org number), and only it.
  const search = page.getByLabel('Søk i kunder');
  await search.fill('havbris');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Havbris Konsult AS');
  await search.fill('974760673');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Havbris Konsult AS');
  await search.fill('finnes-ikke-xyz');
  await expect(page.getByText('Ingen treff.')).toBeVisible();
  await expect(rows).toHaveCount(0);
  await search.fill('');
  await expect(rows).toHaveCount(2);
});
