import { expect, test } from '@playwright/test';
import { startTestSmtpServer, type TestSmtpServer } from '../test/helpers/smtp-server.js';
import { apiCall, COMPANY, loginViaApi, unique } from './fixtures.js';

/**
 * E-mail in the UI: the invoice page points to the missing settings, the settings are
 * entered and tested against a real SMTP server started by this spec, then the invoice
 * is sent, shows up as sent, and is sent again on request.
 */

const SMTP_USER = 'fjordtest-mailer';
const SMTP_PASSWORD = 'e2e-smtp-passord';

let smtp: TestSmtpServer;

test.beforeAll(async () => {
  smtp = await startTestSmtpServer({ credentials: { username: SMTP_USER, password: SMTP_PASSWORD } });
});
test.afterAll(async () => {
  await smtp?.close();
});

test.beforeEach(async ({ page }) => {
  await loginViaApi(page);
});

interface Invoice {
  id: string;
  documentNumber: string;
  isTest: boolean;
}

test('set up e-mail, send a test message, send an invoice with its PDF and send it again', async ({ page }) => {
  await apiCall(page, 'PATCH', '/company', { bankAccount: COMPANY.bankAccount });
  const customerEmail = `faktura-${Date.now().toString(36)}@kunde.example`;
  const customer = await apiCall<{ id: string }>(page, 'POST', '/customers', {
    kind: 'business',
    name: unique('E-postkunde AS'),
    email: customerEmail,
    address: { line1: 'Storgata 1', postalCode: '0155', city: 'Oslo', countryCode: 'NO' },
  });
  const draft = await apiCall<Invoice>(page, 'POST', '/invoices', {
    customerId: customer.id,
    deliveryDate: '2026-11-20',
    lines: [{ description: 'Konsulenttime', quantity: '3', unitPrice: '900.00', vatCode: '3' }],
  });
  const invoice = await apiCall<Invoice>(page, 'POST', `/invoices/${draft.id}/issue`);
  const settings = await apiCall<{ isConfigured: boolean }>(page, 'GET', '/email-settings');

  await page.goto(`/invoices/${invoice.id}`);
  const deliveries = page.getByRole('region', { name: 'Utsendelser' });
  if (!settings.isConfigured) {
    await expect(deliveries.getByText('E-post er ikke satt opp')).toBeVisible();
    await deliveries.getByRole('link', { name: 'Gå til e-postinnstillingene' }).click();
  } else {
    await page.goto('/company/email');
  }

  await expect(page.getByRole('heading', { name: 'E-post', level: 1 })).toBeVisible();
  await page.getByLabel('Tjener').fill('127.0.0.1');
  await page.getByLabel('Sikkerhet').selectOption({ label: 'Ingen kryptering (bare lokal testtjener)' });
  await page.getByLabel('Port').fill(String(smtp.port));
  await page.getByLabel('Brukernavn').fill(SMTP_USER);
  await page.getByLabel('Passord', { exact: true }).fill(SMTP_PASSWORD);
  await page.getByLabel('Avsenderadresse').fill('faktura@fjordtest.no');
  await page.getByLabel('Svar til').fill('regnskap@fjordtest.no');
  await expect(page.getByText('{documentNumber}', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Lagre' }).click();
  await expect(page.getByText('E-postinnstillingene er lagret.')).toBeVisible();
  // Write-only: the saved password is not shown again, only that one is stored.
  await expect(page.getByLabel('Passord', { exact: true })).toHaveValue('');
  await expect(page.getByText('Et passord er lagret.')).toBeVisible();

  await page.getByLabel('Send testmelding til').fill('kari@fjordtest.no');
  await page.getByRole('button', { name: 'Send testmelding' }).click();
  await expect(page.getByText('sendt til kari@fjordtest.no')).toBeVisible();
  expect(smtp.accepted.map((mail) => mail.envelopeTo)).toEqual([['kari@fjordtest.no']]);

  // Back on the invoice: send it.
  await page.goto(`/invoices/${invoice.id}`);
  await deliveries.getByRole('button', { name: 'Send på e-post' }).click();
  const recipient = deliveries.getByLabel('Mottaker');
  const expectedRecipient = invoice.isTest ? 'regnskap@fjordtest.no' : customerEmail;
  await expect(recipient).toHaveValue(expectedRecipient);
  await deliveries.getByRole('button', { name: 'Send på e-post' }).click();
  await expect(page.getByText('Sendingen er lagt i kø.')).toBeVisible();
  const firstRow = deliveries.getByRole('row').filter({ hasText: expectedRecipient }).first();
  await expect(firstRow.getByText('Sendt', { exact: true })).toBeVisible({ timeout: 15_000 });
  await expect(page.locator('.facts').getByText('Sendt', { exact: true })).toBeVisible();

  const mails = await smtp.waitForAccepted(2);
  const mail = mails[1]!;
  expect(mail.envelopeTo).toEqual([expectedRecipient]);
  expect(mail.parsed.subject).toContain(`Faktura ${invoice.documentNumber}`);
  expect(mail.parsed.attachments).toHaveLength(1);
  expect(mail.parsed.attachments[0]!.contentType).toBe('application/pdf');
  const pdf = await page.request.get(`/api/v1/invoices/${invoice.id}/pdf`);
  expect(pdf.status()).toBe(200);
  expect(Buffer.compare(mail.parsed.attachments[0]!.content, await pdf.body())).toBe(0);

  // Send again: a second delivery, a second mail.
  await deliveries.getByRole('button', { name: 'Send på nytt' }).click();
  await deliveries.getByRole('button', { name: 'Send på nytt' }).click();
  await expect(deliveries.locator('tbody tr')).toHaveCount(2);
  await expect(deliveries.locator('tbody tr').nth(1).getByText('Sendt', { exact: true })).toBeVisible({ timeout: 15_000 });
  await smtp.waitForAccepted(3);
  expect(new Set(smtp.accepted.slice(1).map((entry) => entry.parsed.messageId)).size).toBe(2);
});
