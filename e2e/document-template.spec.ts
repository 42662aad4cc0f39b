import { expect, test, type Locator, type Page } from '@playwright/test';
import { makePng } from '../test/pdf/png.js';
import { apiCall, COMPANY, loginViaApi, unique } from './fixtures.js';

/**
 * The template editor previews the REAL rendering: the server renders the sample
 * invoice with the unsaved settings and pdf.js draws it on a canvas. Changing the
 * accent colour or the logo must change those pixels.
 */

const ACCENT: [number, number, number] = [216, 27, 96]; // #d81b60
const LOGO: [number, number, number] = [0, 200, 83];

/** The canvas API used here (the e2e project is type-checked without the DOM library). */
interface CanvasLike {
  width: number;
  height: number;
  toDataURL(type: string): string;
  getContext(kind: '2d'): { getImageData(x: number, y: number, width: number, height: number): { data: ArrayLike<number> } } | null;
}

function preview(page: Page): Locator {
  return page.getByRole('img', { name: 'Forhåndsvisning av fakturaen' });
}

/** Waits until the preview has been drawn more than `after` times and is not busy; returns the count. */
async function waitForRender(page: Page, after: number): Promise<number> {
  const canvas = preview(page);
  await expect
    .poll(async () => Number(await canvas.getAttribute('data-renders')), { timeout: 15_000 })
    .toBeGreaterThan(after);
  await expect(canvas).toHaveAttribute('aria-busy', 'false');
  return Number(await canvas.getAttribute('data-renders'));
}

async function snapshot(page: Page): Promise<string> {
  return preview(page).evaluate((canvas) => (canvas as unknown as CanvasLike).toDataURL('image/png'));
}

/** How many pixels of the canvas have this colour (±3 per channel). */
async function pixelsOf(page: Page, rgb: [number, number, number]): Promise<number> {
  return preview(page).evaluate((canvas, [r, g, b]) => {
    const element = canvas as unknown as CanvasLike;
    const data = element.getContext('2d')!.getImageData(0, 0, element.width, element.height).data;
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i]! - r!) <= 3 && Math.abs(data[i + 1]! - g!) <= 3 && Math.abs(data[i + 2]! - b!) <= 3) count += 1;
    }
    return count;
  }, rgb);
}

test.beforeEach(async ({ page }) => {
  await loginViaApi(page);
  // Start from the defaults: classic design, default colour, no logo.
  await apiCall(page, 'PUT', '/document-template', {});
  await apiCall(page, 'DELETE', '/document-template/logo');
});

test('changing the accent colour and the logo changes the live preview of the real PDF', async ({ page }) => {
  await page.goto('/company');
  await page.getByRole('link', { name: 'Fakturamal' }).click();
  await expect(page.getByRole('heading', { name: 'Fakturamal', level: 1 })).toBeVisible();

  let renders = await waitForRender(page, 0);
  const initial = await snapshot(page);
  expect(await pixelsOf(page, ACCENT)).toBe(0);

  // A new accent colour: the preview is rendered again and now holds that colour.
  await page.getByLabel('Aksentfarge (heksadesimal)').fill('#d81b60');
  renders = await waitForRender(page, renders);
  const recoloured = await snapshot(page);
  expect(recoloured).not.toBe(initial);
  expect(await pixelsOf(page, ACCENT)).toBeGreaterThan(300);

  // A logo: uploaded at once, and drawn on the preview.
  expect(await pixelsOf(page, LOGO)).toBe(0);
  await page.getByLabel('Last opp logo').setInputFiles({
    name: 'logo.png',
    mimeType: 'image/png',
    buffer: makePng(200, 80, LOGO, { alpha: false }),
  });
  await expect(page.getByText('Logo: 200 × 80 piksler (PNG).')).toBeVisible();
  renders = await waitForRender(page, renders);
  expect(await snapshot(page)).not.toBe(recoloured);
  expect(await pixelsOf(page, LOGO)).toBeGreaterThan(1000);

  // Another design keeps colour and logo; saving stores the settings.
  await page.getByRole('radio', { name: 'Moderne' }).check();
  renders = await waitForRender(page, renders);
  expect(await pixelsOf(page, ACCENT)).toBeGreaterThan(10_000);
  await page.getByRole('button', { name: 'Lagre malen' }).click();
  await expect(page.getByText('Fakturamalen er lagret.')).toBeVisible();
  const saved = await apiCall<{ design: string; accentColor: string; logo: { width: number } | null }>(page, 'GET', '/document-template');
  expect(saved).toMatchObject({ design: 'modern', accentColor: '#d81b60', logo: { width: 200 } });

  // An SVG is refused with a message beside the upload.
  await page.getByLabel('Last opp logo').setInputFiles({
    name: 'logo.svg',
    mimeType: 'image/svg+xml',
    buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'),
  });
  await expect(page.getByText('Logoen må være en PNG- eller JPEG-fil (SVG støttes ikke).')).toBeVisible();
});

test('an issued invoice has a "Last ned PDF" link that serves its PDF', async ({ page }) => {
  await apiCall(page, 'PATCH', '/company', { bankAccount: COMPANY.bankAccount });
  const customer = await apiCall<{ id: string }>(page, 'POST', '/customers', {
    kind: 'business',
    name: unique('PDF-kunde AS'),
    address: { line1: 'Storgata 1', postalCode: '0155', city: 'Oslo', countryCode: 'NO' },
  });
  const draft = await apiCall<{ id: string }>(page, 'POST', '/invoices', {
    customerId: customer.id,
    deliveryDate: '2026-11-20',
    lines: [{ description: 'Rådgivning', quantity: '2', unitPrice: '1250' }],
  });
  const issued = await apiCall<{ id: string; documentNumber: string }>(page, 'POST', `/invoices/${draft.id}/issue`);
  await page.goto(`/invoices/${issued.id}`);
  const link = page.getByRole('link', { name: 'Last ned PDF' });
  await expect(link).toHaveAttribute('href', `/api/v1/invoices/${issued.id}/pdf`);
  const response = await page.request.get((await link.getAttribute('href'))!);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('application/pdf');
  expect(response.headers()['content-disposition']).toContain(`Faktura-${issued.documentNumber}.pdf`);
  expect((await response.body()).subarray(0, 5).toString()).toBe('%PDF-');
});
