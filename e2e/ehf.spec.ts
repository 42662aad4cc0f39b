import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { apiCall, COMPANY, loginViaApi, unique } from './fixtures.js';

/**
 * EHF in the UI: a folder access point is set up on the settings screen (a folder in this
 * test's temp dir, on the same machine as the server), the customer's delivery channel is
 * set to EHF in the customer form, an invoice to it is sent as EHF from its page (preselected
 * as the customer's channel), shows up as sent, lands as exactly one file in the folder, and
 * downloads — as EHF and as the archive PDF — with the same bytes the API serves.
 */

let folder: string;

test.beforeAll(() => {
  folder = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fakturaflyt-e2e-ehf-')), 'utgaaende');
});

test.afterAll(() => {
  if (folder) fs.rmSync(path.dirname(folder), { recursive: true, force: true });
});

test.beforeEach(async ({ page }) => {
  await loginViaApi(page);
});

interface Invoice {
  id: string;
  documentNumber: string;
  isTest: boolean;
}

test('set up a folder access point, send an invoice as EHF, see it sent, download the EHF and the archive PDF', async ({ page }) => {
  const before = await apiCall<{ accessPointKind: string; attachPdf: boolean }>(page, 'GET', '/ehf-settings');
  try {
    await apiCall(page, 'PATCH', '/company', { bankAccount: COMPANY.bankAccount });
    const customer = await apiCall<{ id: string; deliveryChannel: string | null }>(page, 'POST', '/customers', {
      kind: 'business',
      name: unique('EHF-kunde AS'),
      orgNumber: '974760673',
      email: 'faktura@ehf-kunde.example',
      address: { line1: 'Postboks 900', postalCode: '8910', city: 'Brønnøysund', countryCode: 'NO' },
    });
    expect(customer.deliveryChannel).toBeNull();

    // No PEPPOL id, so e-mail would be automatic: choose EHF in the customer form.
    await page.goto(`/customers/${customer.id}`);
    const channel = page.getByLabel('Utsendelse');
    await expect(channel).toHaveValue('');
    await channel.selectOption({ label: 'EHF' });
    await page.getByRole('button', { name: 'Lagre' }).click();
    await expect(page.getByText('Kunden er lagret.')).toBeVisible();
    expect((await apiCall<{ deliveryChannel: string | null }>(page, 'GET', `/customers/${customer.id}`)).deliveryChannel).toBe('ehf');

    const draft = await apiCall<Invoice>(page, 'POST', '/invoices', {
      customerId: customer.id,
      deliveryDate: '2026-11-20',
      orderReference: 'PO-E2E-1',
      lines: [{ description: 'Konsulenttime', quantity: '2', unitPrice: '1100.00', vatCode: '3' }],
    });
    const invoice = await apiCall<Invoice>(page, 'POST', `/invoices/${draft.id}/issue`);

    // The settings screen, reached from the company page.
    await page.goto('/company');
    await page.getByRole('link', { name: 'EHF / Peppol' }).click();
    await expect(page.getByRole('heading', { name: 'EHF / Peppol', level: 1 })).toBeVisible();
    await page.getByLabel('Mappe på tjeneren').check();
    await page.getByLabel('Mappe', { exact: true }).fill(folder);
    await expect(page.getByLabel('Legg ved PDF-en i EHF-filen')).toBeChecked();
    await page.getByRole('button', { name: 'Lagre' }).click();
    await expect(page.getByText('EHF-innstillingene er lagret.')).toBeVisible();
    expect(fs.readdirSync(folder)).toEqual([]);

    // The invoice: EHF is the customer's channel.
    await page.goto(`/invoices/${invoice.id}`);
    const deliveries = page.getByRole('region', { name: 'Utsendelser' });
    await deliveries.getByRole('button', { name: 'Send som EHF' }).click();
    await expect(deliveries.getByLabel('EHF', { exact: true })).toBeChecked();
    await expect(deliveries.getByText('Kundens kanal er EHF.')).toBeVisible();
    await deliveries.getByRole('button', { name: 'Send som EHF' }).click();
    await expect(page.getByText('Sendingen er lagt i kø.')).toBeVisible();
    const row = deliveries.locator('tbody tr[data-delivery-channel="ehf"]');
    await expect(row).toHaveCount(1);
    await expect(row.getByText('Sendt', { exact: true })).toBeVisible({ timeout: 15_000 });
    await expect(row.getByRole('cell', { name: '0192:974760673' })).toBeVisible();
    await expect(page.locator('.facts').getByText('Sendt', { exact: true })).toBeVisible();

    const served = await page.request.get(`/api/v1/invoices/${invoice.id}/ehf`);
    expect(served.status()).toBe(200);
    const ehf = await served.body();
    const [delivery] = (await apiCall<{ items: Array<{ id: string; channel: string }> }>(page, 'GET', `/invoices/${invoice.id}/deliveries`)).items;
    if (invoice.isTest) {
      // Test documents never reach an access point.
      expect(fs.readdirSync(folder)).toEqual([]);
    } else {
      const name = `${invoice.documentNumber}-${delivery!.id}.xml`;
      expect(fs.readdirSync(folder)).toEqual([name]);
      expect(Buffer.compare(fs.readFileSync(path.join(folder, name)), ehf)).toBe(0);
    }

    // Downloads.
    const [ehfDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Last ned EHF' }).click()]);
    expect(ehfDownload.suggestedFilename()).toBe(`faktura-${invoice.documentNumber}.xml`);
    expect(Buffer.compare(fs.readFileSync((await ehfDownload.path())!), ehf)).toBe(0);
    const [archiveDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Last ned arkiv-PDF' }).click()]);
    expect(archiveDownload.suggestedFilename()).toBe(`Faktura-${invoice.documentNumber}-arkiv.pdf`);
    const archive = fs.readFileSync((await archiveDownload.path())!);
    expect(archive.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    // The embedded EHF, as stored: find its name in the file (the XML itself is compressed).
    expect(archive.toString('latin1')).toContain(`ehf-${invoice.documentNumber}.xml`);
  } finally {
    // Leave the shared e2e company as it was for the specs that follow.
    await apiCall(page, 'PUT', '/ehf-settings', { attachPdf: before.attachPdf, accessPointKind: 'none' });
  }
});
