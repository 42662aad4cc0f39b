import { expect, test } from '@playwright/test';
import { apiCall, createMember, loginViaApi, OWNER, switchUser, unique } from './fixtures.js';

test.beforeEach(async ({ page }) => {
  await loginViaApi(page);
});

test('the owner adds a user, changes the role and removes the user', async ({ page }) => {
  const tag = unique('u').split(' ')[1]!;
  const email = `ny-${tag}@fjordtest.no`;
  await page.goto('/users');
  await expect(page.getByRole('heading', { name: 'Brukere', level: 1 })).toBeVisible();
  await expect(page.locator('table tbody tr', { hasText: OWNER.email })).toContainText('(deg)');

  // A new e-mail needs a name and a password: both are asked for beside their fields.
  await page.getByLabel('E-post').fill(email);
  await page.getByLabel('Rolle', { exact: true }).selectOption('biller');
  await page.getByRole('button', { name: 'Legg til' }).click();
  await expect(page.getByLabel('Navn (ny bruker)')).toHaveAccessibleDescription(/Må fylles ut\./);
  await expect(page.getByLabel('Passord (ny bruker)')).toHaveAccessibleDescription(/Må fylles ut\./);

  await page.getByLabel('Passord (ny bruker)').fill('kort');
  await page.getByLabel('Navn (ny bruker)').fill(`Per ${tag}`);
  await page.getByRole('button', { name: 'Legg til' }).click();
  await expect(page.getByLabel('Passord (ny bruker)')).toHaveAccessibleDescription(/Passordet må ha minst 10 tegn\./);

  await page.getByLabel('Passord (ny bruker)').fill('et-godt-passord');
  await page.getByRole('button', { name: 'Legg til' }).click();
  await expect(page.getByText(`Per ${tag} er lagt til.`)).toBeVisible();
  const row = page.locator('table tbody tr', { hasText: email });
  await expect(row).toBeVisible();

  // Change the role in place.
  const roleSelect = page.getByLabel(`Rolle for Per ${tag}`);
  await expect(roleSelect).toHaveValue('biller');
  await roleSelect.selectOption('accountant');
  await expect(page.getByText(`Rollen til Per ${tag} er endret.`)).toBeVisible();
  await page.reload();
  await expect(page.getByLabel(`Rolle for Per ${tag}`)).toHaveValue('accountant');

  // Adding the same e-mail again is refused.
  await page.getByLabel('E-post').fill(email);
  await page.getByRole('button', { name: 'Legg til' }).click();
  await expect(page.getByRole('alert')).toContainText('Brukeren er allerede medlem av firmaet.');

  // Remove (asks first).
  await page.locator('table tbody tr', { hasText: email }).getByRole('button', { name: 'Fjern' }).click();
  await page.getByRole('group', { name: /Fjerne Per/ }).getByRole('button', { name: 'Fjern' }).click();
  await expect(page.getByText(`Per ${tag} er fjernet fra firmaet.`)).toBeVisible();
  await expect(page.locator('table tbody tr', { hasText: email })).toHaveCount(0);
});

test('the last owner cannot be demoted', async ({ page }) => {
  await page.goto('/users');
  const own = page.getByLabel(`Rolle for ${OWNER.name}`);
  await own.selectOption('admin');
  await expect(page.getByText('Firmaet må ha minst én eier.')).toBeVisible();
});

test('a read-only user sees the data but no actions', async ({ page }) => {
  await apiCall(page, 'POST', '/customers', { kind: 'person', name: unique('Synlig kunde') });
  const member = await createMember(page, 'read_only');
  await switchUser(page, member.email, member.password);
  await page.goto('/customers');

  await expect(page.getByRole('heading', { name: 'Kunder', level: 1 })).toBeVisible();
  await expect(page.getByRole('banner')).toContainText('Kun lesetilgang');
  await expect(page.locator('table tbody tr').first()).toBeVisible();
  await expect(page.getByRole('link', { name: 'Ny kunde' })).toHaveCount(0);
  const nav = page.getByRole('navigation', { name: 'Hovedmeny' });
  await expect(nav.getByRole('link', { name: 'API-nøkler' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Logg' })).toHaveCount(0);

  // A customer opens read-only.
  await page.locator('table tbody tr').first().getByRole('link').click();
  await expect(page.getByLabel('Navn', { exact: true })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Lagre' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Arkiver' })).toHaveCount(0);

  await nav.getByRole('link', { name: 'Produkter' }).click();
  await expect(page.getByRole('link', { name: 'Nytt produkt' })).toHaveCount(0);

  await nav.getByRole('link', { name: 'Brukere' }).click();
  await expect(page.getByRole('heading', { name: 'Legg til bruker' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Fjern' })).toHaveCount(0);
  await expect(page.getByRole('combobox', { name: /Rolle for/ })).toHaveCount(0);

  await nav.getByRole('link', { name: 'Firma' }).click();
  await expect(page.getByText('Bare eiere og administratorer kan endre firmaopplysningene.')).toBeVisible();
  await expect(page.getByLabel('Juridisk navn')).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Lagre' })).toHaveCount(0);

  // Screens the role may not use say so when opened directly.
  await page.goto('/api-keys');
  await expect(page.getByText('Du har ikke tilgang til denne siden.')).toBeVisible();
  await page.goto('/customers/new');
  await expect(page.getByText('Du har ikke tilgang til denne siden.')).toBeVisible();
});

test('a biller writes customers and products but does not manage users, keys or the company', async ({ page }) => {
  const member = await createMember(page, 'biller');
  await switchUser(page, member.email, member.password);
  await page.goto('/customers');

  await expect(page.getByRole('link', { name: 'Ny kunde' })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Hovedmeny' });
  await expect(nav.getByRole('link', { name: 'API-nøkler' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Logg' })).toHaveCount(0);
  await nav.getByRole('link', { name: 'Produkter' }).click();
  await expect(page.getByRole('link', { name: 'Nytt produkt' })).toBeVisible();
  await nav.getByRole('link', { name: 'Brukere' }).click();
  await expect(page.getByRole('heading', { name: 'Legg til bruker' })).toHaveCount(0);
  await nav.getByRole('link', { name: 'Firma' }).click();
  await expect(page.getByLabel('Juridisk navn')).toBeDisabled();
});

test('an accountant reads the audit log but writes nothing', async ({ page }) => {
  const member = await createMember(page, 'accountant');
  await switchUser(page, member.email, member.password);
  await page.goto('/customers');

  await expect(page.getByRole('link', { name: 'Ny kunde' })).toHaveCount(0);
  const nav = page.getByRole('navigation', { name: 'Hovedmeny' });
  await expect(nav.getByRole('link', { name: 'API-nøkler' })).toHaveCount(0);
  await nav.getByRole('link', { name: 'Logg' }).click();
  await expect(page.getByRole('heading', { name: 'Logg', level: 1 })).toBeVisible();
  await expect(page.locator('table tbody tr').first()).toContainText('Logget inn');
});
