import { expect, test } from '@playwright/test';
import { apiCall, loginViaApi, unique } from './fixtures.js';

test('the audit log lists events newest first and loads more on request', async ({ page }) => {
  await loginViaApi(page);
  // Enough events for more than one page (50 per page).
  const tag = unique('Logg');
  for (let i = 1; i <= 26; i++) {
    await apiCall(page, 'POST', '/products', { productNumber: `${tag.replace(' ', '-')}-${i}`, name: `${tag} ${i}`, unitPrice: '1' });
  }
  const customer = await apiCall<{ id: string }>(page, 'POST', '/customers', { kind: 'person', name: `${tag} kunde` });
  for (let i = 1; i <= 25; i++) {
    await apiCall(page, 'PATCH', `/customers/${customer.id}`, { notes: `Endring ${i}` });
  }

  await page.goto('/audit');
  await expect(page.getByRole('heading', { name: 'Logg', level: 1 })).toBeVisible();
  const rows = page.locator('table tbody tr');
  await expect(rows).toHaveCount(50);
  // Newest first: the last change made is on top.
  await expect(rows.first()).toContainText('Kunde endret');
  await expect(rows.first()).toContainText('fields: notes');
  await expect(rows.first()).toContainText('kari@fjordtest.no');
  await expect(rows.first().locator('time')).toHaveText(/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}$/);

  const times = await rows.locator('time').evaluateAll((elements) => elements.map((element) => element.getAttribute('datetime') ?? ''));
  expect([...times].sort().reverse()).toEqual(times);

  await page.getByRole('button', { name: 'Vis flere' }).click();
  await expect.poll(() => rows.count()).toBeGreaterThan(50);
  // The second page continues where the first stopped: still newest first, nothing twice.
  const allTimes = await rows.locator('time').evaluateAll((elements) => elements.map((element) => element.getAttribute('datetime') ?? ''));
  expect([...allTimes].sort().reverse()).toEqual(allTimes);
});
