import { expect, test } from '@playwright/test';
import { ensureOnboarded, loginViaApi, OWNER, unique } from './fixtures.js';

test('repeated wrong passwords lock the address and the lockout message is shown', async ({ page }) => {
  await ensureOnboarded(page.request);
  // An address of its own, so no other test's log-in is locked.
  const email = `laas-${unique('x').split(' ')[1]}@fjordtest.no`;
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Logg inn' })).toBeVisible();
  await page.getByLabel('E-post').fill(email);
  for (let attempt = 1; attempt <= 5; attempt++) {
    await page.getByLabel('Passord').fill(`feil-${attempt}-passord`);
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await expect(page.getByRole('alert')).toContainText('Feil e-post eller passord.');
    await expect(page.getByRole('button', { name: 'Logg inn' })).toBeEnabled();
  }
  await page.getByLabel('Passord').fill('enda-et-forsok');
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await expect(page.getByRole('alert')).toContainText(
    'For mange mislykkede innlogginger. Kontoen er midlertidig låst. Prøv igjen om 15 minutter.',
  );
});

test('a deep link survives the log-in form', async ({ page }) => {
  await ensureOnboarded(page.request);
  await page.goto('/products');
  await page.getByLabel('E-post').fill(OWNER.email);
  await page.getByLabel('Passord').fill(OWNER.password);
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await expect(page.getByRole('heading', { name: 'Produkter', level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/\/products$/);
});

test('a session that ends elsewhere leads back to the log-in form', async ({ page }) => {
  await loginViaApi(page);
  await page.goto('/customers');
  await expect(page.getByRole('heading', { name: 'Kunder', level: 1 })).toBeVisible();

  // Logged out behind the app's back (another tab, expiry): the next call answers 401.
  const session = (await (await page.request.get('/api/v1/auth/session')).json()) as { csrfToken: string };
  expect((await page.request.post('/api/v1/auth/logout', { headers: { 'x-csrf-token': session.csrfToken } })).status()).toBe(204);

  await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Produkter' }).click();
  await expect(page.getByRole('heading', { name: 'Logg inn' })).toBeVisible();
  await expect(page.getByText('Du er logget ut. Logg inn igjen.')).toBeVisible();
});

test('browser history and unknown addresses', async ({ page }) => {
  await loginViaApi(page);
  await page.goto('/');
  // The start page is the invoice list, the first item of the menu.
  await expect(page).toHaveURL(/\/invoices$/);
  await expect(page.getByRole('heading', { name: 'Fakturaer', level: 1 })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Hovedmeny' });
  await nav.getByRole('link', { name: 'Kunder' }).click();
  await expect(page.getByRole('heading', { name: 'Kunder', level: 1 })).toBeVisible();
  await nav.getByRole('link', { name: 'Produkter' }).click();
  await expect(page.getByRole('heading', { name: 'Produkter', level: 1 })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Produkter' })).toHaveAttribute('aria-current', 'page');
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Kunder', level: 1 })).toBeVisible();
  await page.goForward();
  await expect(page.getByRole('heading', { name: 'Produkter', level: 1 })).toBeVisible();

  await page.goto('/finnes/ikke');
  await expect(page.getByText('Fant ikke siden.')).toBeVisible();
  await page.goto('/customers/00000000-0000-0000-0000-000000000000');
  await expect(page.getByRole('alert')).toContainText('Fant ikke kunden.');
});
