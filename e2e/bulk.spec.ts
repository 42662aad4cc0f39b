import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { startTestSmtpServer, type TestSmtpServer } from '../test/helpers/smtp-server.js';
import { readZip } from '../test/helpers/zip.js';
import { apiCall, COMPANY, loginViaApi, unique } from './fixtures.js';

/**
 * Bulk actions on the invoice list: tick three drafts, issue and send them (to a real SMTP
 * server started by this spec) while the progress panel follows the background work to
 * 100 %; then tick the same, now issued, invoices and download their PDFs as one ZIP.
 */

let smtp: TestSmtpServer;

test.beforeAll(async () => {
  smtp = await startTestSmtpServer();
});
test.afterAll(async () => {
  await smtp?.close();
});

interface Invoice {
  id: string;
  status: string;
  documentNumber: string | null;
}

test('issue and send many drafts, then download their PDFs as a ZIP', async ({ page }) => {
  await loginViaApi(page);
  await apiCall(page, 'PATCH', '/company', { bankAccount: COMPANY.bankAccount });
  await apiCall(page, 'PUT', '/email-settings', {
    host: '127.0.0.1',
    port: smtp.port,
    security: 'none',
    fromAddress: 'faktura@fjordtest.no',
    replyTo: 'regnskap@fjordtest.no',
  });
  const customerName = unique('Massekunde AS');
  const customer = await apiCall<{ id: string }>(page, 'POST', '/customers', {
    kind: 'business',
    name: customerName,
    email: `masse-${Date.now().toString(36)}@kunde.example`,
    address: { line1: 'Storgata 1', postalCode: '0155', city: 'Oslo', countryCode: 'NO' },
  });
  const drafts: Invoice[] = [];
  for (const hours of ['1', '2', '3']) {
    drafts.push(
      await apiCall<Invoice>(page, 'POST', '/invoices', {
        customerId: customer.id,
        deliveryDate: '2026-11-20',
        lines: [{ description: 'Konsulenttime', quantity: hours, unitPrice: '900.00', vatCode: '3' }],
      }),
    );
  }

  await page.goto('/invoices');
  // The list filters once the typing pauses; tick rows only in the filtered list (a new filter clears the selection).
  await Promise.all([
    page.waitForResponse((response) => response.url().includes('/api/v1/invoices?') && response.url().includes('q=')),
    page.getByLabel('Søk i fakturaer').fill(customerName),
  ]);
  const rows = page.locator('tbody tr');
  await expect(rows).toHaveCount(3);
  await page.getByRole('checkbox', { name: 'Velg alle på siden' }).check();
  const bar = page.getByRole('toolbar', { name: '3 valgt' });
  await bar.getByRole('button', { name: 'Utsted og send (3)' }).click();
  await bar.getByRole('button', { name: 'Utsted og send', exact: true }).click();

  const panel = page.getByRole('region', { name: 'Utsted og send' });
  await expect(panel.getByRole('progressbar', { name: 'Fremdrift' })).toHaveAttribute('aria-valuenow', '100', { timeout: 15_000 });
  await expect(panel.getByText('Fullført', { exact: true })).toBeVisible();
  await expect(panel.getByText('3 av 3 behandlet')).toBeVisible();
  await expect(panel.getByText('3 lyktes, 0 feilet')).toBeVisible();

  // Issued, with numbers in the order the list showed them, and one mail each.
  const issued = await Promise.all(drafts.map((draft) => apiCall<Invoice>(page, 'GET', `/invoices/${draft.id}`)));
  expect(issued.every((invoice) => invoice.documentNumber !== null)).toBe(true);
  await expect(rows.filter({ hasText: 'Utkast' })).toHaveCount(0);
  const mails = await smtp.waitForAccepted(3);
  const numbers = mails.map((mail) => /^Faktura (\S+) fra /.exec(mail.parsed.subject ?? '')?.[1]).sort();
  expect(numbers).toEqual(issued.map((invoice) => invoice.documentNumber).sort());

  // The same rows, now issued: their PDFs as one ZIP.
  await panel.getByRole('button', { name: 'Lukk' }).click();
  await page.getByRole('checkbox', { name: 'Velg alle på siden' }).check();
  await page.getByRole('toolbar', { name: '3 valgt' }).getByRole('button', { name: 'Last ned PDF-er (ZIP) (3)' }).click();
  const zipPanel = page.getByRole('region', { name: 'PDF-er som ZIP' });
  const downloadLink = zipPanel.getByRole('link', { name: 'Last ned ZIP' });
  await expect(downloadLink).toBeVisible({ timeout: 15_000 });
  await expect(zipPanel.getByRole('progressbar', { name: 'Fremdrift' })).toHaveAttribute('aria-valuenow', '100');
  const [download] = await Promise.all([page.waitForEvent('download'), downloadLink.click()]);
  expect(download.suggestedFilename()).toMatch(/^Fakturaer-\d{4}-\d{2}-\d{2}\.zip$/);
  const entries = readZip(fs.readFileSync(await download.path()));
  expect(entries.map((entry) => entry.name).sort()).toEqual(issued.map((invoice) => `Faktura-${invoice.documentNumber}.pdf`).sort());
  for (const invoice of issued) {
    const pdf = await page.request.get(`/api/v1/invoices/${invoice.id}/pdf`);
    const entry = entries.find((candidate) => candidate.name === `Faktura-${invoice.documentNumber}.pdf`)!;
    expect(Buffer.compare(entry.data, await pdf.body())).toBe(0);
  }
});
