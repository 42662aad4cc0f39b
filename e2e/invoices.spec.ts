import { expect, test, type Locator, type Page } from '@playwright/test';
import { apiCall, COMPANY, createMember, loginViaApi, switchUser, unique } from './fixtures.js';

/**
 * Invoicing in the UI: a draft with live totals, issue, credit note, the legal
 * check's messages beside the fields, the journal entry, settings and roles.
 * Every test makes its own customer, so the tests do not depend on each other.
 */

/** Today in the company's time zone, as the UI shows and takes dates (dd.mm.yyyy). */
function today(): string {
  return new Intl.DateTimeFormat('nb-NO', { timeZone: 'Europe/Oslo', day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date());
}

interface Customer {
  id: string;
  name: string;
}

async function createCustomerViaApi(page: Page, prefix: string): Promise<Customer> {
  return apiCall<Customer>(page, 'POST', '/customers', {
    kind: 'business',
    name: unique(prefix),
    address: { line1: 'Storgata 1', postalCode: '0155', city: 'Oslo', countryCode: 'NO' },
  });
}

async function ensureBankAccount(page: Page): Promise<void> {
  await apiCall(page, 'PATCH', '/company', { bankAccount: COMPANY.bankAccount });
}

async function pickCustomer(page: Page, name: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Kunde' }).fill(name);
  await page.getByRole('option', { name }).click();
  await expect(page.getByText(name, { exact: true })).toBeVisible();
}

function line(page: Page, n: number): Locator {
  return page.getByRole('group', { name: `Linje ${n}`, exact: true });
}

function vatRow(page: Page, rate: string): Locator {
  return page.getByRole('table', { name: 'Mva-spesifikasjon' }).getByRole('row').filter({ hasText: rate });
}

function fact(page: Page, label: string): Locator {
  return page.locator('.facts__item').filter({ has: page.locator('dt', { hasText: label }) }).locator('dd');
}

async function issue(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Utsted', exact: true }).click();
  await page.getByRole('button', { name: 'Utsted nå' }).click();
}

test.beforeEach(async ({ page }) => {
  await loginViaApi(page);
});

test('write an invoice with 25 % and 15 % VAT, issue it, see its journal entry and credit it fully', async ({ page }) => {
  await ensureBankAccount(page);

  // A customer, made in the UI.
  const customerName = unique('Fjellbekk Rør AS');
  await page.goto('/customers/new');
  await page.getByLabel('Navn', { exact: true }).fill(customerName);
  await page.getByLabel('Gateadresse').fill('Storgata 1');
  await page.getByLabel('Postnummer').fill('0155');
  await page.getByLabel('Poststed').fill('Oslo');
  await page.getByRole('button', { name: 'Opprett' }).click();
  await expect(page.getByText('Kunden er opprettet.')).toBeVisible();

  // "Fakturaer" is the first item of the menu.
  const nav = page.getByRole('navigation', { name: 'Hovedmeny' });
  await expect(nav.getByRole('link').first()).toHaveText('Fakturaer');
  await nav.getByRole('link', { name: 'Fakturaer' }).click();
  await expect(page.getByRole('heading', { name: 'Fakturaer', level: 1 })).toBeVisible();
  await page.getByRole('link', { name: 'Ny faktura' }).click();
  await expect(page.getByRole('heading', { name: 'Ny faktura', level: 1 })).toBeVisible();

  await pickCustomer(page, customerName);
  await page.getByRole('textbox', { name: 'Leveringsdato' }).fill(today());
  await page.getByLabel('Deres ref.').fill('Ola Innkjøp');

  // Line 1: 2 × 1 000,00 at 25 %.
  await line(page, 1).getByLabel('Beskrivelse').fill('Rørleggerarbeid');
  await line(page, 1).getByLabel('Antall').fill('2');
  await line(page, 1).getByLabel('Enhetspris').fill('1 000,00');
  await expect(line(page, 1).getByLabel('MVA-kode')).toHaveValue('3');
  await expect(line(page, 1).getByLabel('Beløp eks. mva')).toHaveText('2 000,00');

  // Line 2: 3 × 100,00 at 15 % with 10 % discount.
  await page.getByRole('button', { name: 'Legg til linje' }).click();
  await line(page, 2).getByLabel('Beskrivelse').fill('Matkurv til befaring');
  await line(page, 2).getByLabel('Antall').fill('3');
  await line(page, 2).getByLabel('Enhetspris').fill('100');
  await line(page, 2).getByLabel('Rabatt %').fill('10');
  await line(page, 2).getByLabel('MVA-kode').selectOption('31');
  await expect(line(page, 2).getByLabel('Beløp eks. mva')).toHaveText('270,00');

  // Live totals per VAT rate, before anything is saved.
  await expect(page.getByText('Ikke lagret')).toBeVisible();
  await expect(vatRow(page, '25 %')).toContainText('2 000,00');
  await expect(vatRow(page, '25 %')).toContainText('500,00');
  await expect(vatRow(page, '15 %')).toContainText('270,00');
  await expect(vatRow(page, '15 %')).toContainText('40,50');
  await expect(page.getByRole('row', { name: /Totalt inkl\. mva/ })).toContainText('2 810,50 kr');

  // Save the draft: the server's figures agree.
  await page.getByRole('button', { name: 'Lagre utkast' }).click();
  await expect(page.getByText('Utkastet er opprettet.')).toBeVisible();
  await expect(page).toHaveURL(/\/invoices\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { name: 'Utkast til faktura', level: 1 })).toBeVisible();
  await expect(page.getByText('Tallene er beregnet av serveren ved siste lagring.')).toBeVisible();
  await expect(page.getByText('Ikke lagret')).toHaveCount(0);
  await expect(vatRow(page, '15 %')).toContainText('40,50');
  await expect(page.getByRole('row', { name: /Totalt inkl\. mva/ })).toContainText('2 810,50 kr');
  const invoiceUrl = page.url();

  // Issue it: a number, a KID, status "Utstedt".
  await issue(page);
  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toHaveText(/^Faktura \d+$/);
  const number = (await heading.textContent())!.replace('Faktura ', '');
  await expect(page.getByText(`Faktura ${number} er utstedt.`)).toBeVisible();
  await expect(fact(page, 'Status')).toContainText('Utstedt');
  await expect(fact(page, 'Fakturanummer')).toHaveText(number);
  await expect(fact(page, 'KID')).toHaveText(/^\d{4,25}$/);
  await expect(fact(page, 'Fakturadato')).toHaveText(today());
  await expect(fact(page, 'Leveringsdato')).toHaveText(today());
  await expect(fact(page, 'Forfallsdato')).toHaveText(/^\d{2}\.\d{2}\.\d{4}$/);
  await expect(fact(page, 'Deres ref.')).toHaveText('Ola Innkjøp');
  await expect(page.getByRole('region', { name: 'Selger' })).toContainText(COMPANY.legalName);
  await expect(page.getByRole('region', { name: 'Selger' })).toContainText('8601 11 17947');
  await expect(page.getByRole('region', { name: 'Kunde' })).toContainText(customerName);
  await expect(page.getByRole('table', { name: 'Beløp' }).getByRole('row', { name: /Utestående/ })).toContainText('2 810,50 kr');

  // Its journal entry: receivable debit, revenue and output VAT credit per rate.
  const journal = page.getByRole('table', { name: new RegExp(`Bilag ${number},`) });
  await expect(journal).toBeVisible();
  await expect(journal.getByRole('row').filter({ hasText: '1500' })).toContainText('2 810,50');
  await expect(journal.getByRole('row').filter({ hasText: '3000' })).toContainText('2 000,00');
  await expect(journal.getByRole('row').filter({ hasText: '2700' })).toContainText('500,00');
  await expect(journal.getByRole('row').filter({ hasText: '3030' })).toContainText('270,00');
  await expect(journal.getByRole('row').filter({ hasText: '2701' })).toContainText('40,50');
  await expect(journal.locator('tfoot')).toContainText('2 810,50');

  // Credit it fully: the new credit note's page refers to the invoice.
  await page.getByRole('button', { name: 'Krediter' }).click();
  await expect(page.getByRole('heading', { name: `Krediter faktura ${number}` })).toBeVisible();
  await expect(page.getByLabel('Hele fakturaen (alt som gjenstår)')).toBeChecked();
  await page.getByLabel('Årsak').fill('Feil kunde');
  await page.getByRole('button', { name: 'Utsted kreditnota' }).click();
  await expect(heading).toHaveText(/^Kreditnota \d+$/);
  await expect(page.getByText(/Kreditnota \d+ er utstedt\./)).toBeVisible();
  await expect(page.getByText(`Krediterer faktura ${number} av ${today()}`)).toBeVisible();
  await expect(page.getByText('Årsak: Feil kunde')).toBeVisible();
  await expect(page.getByRole('row', { name: /Totalt inkl\. mva/ })).toContainText('2 810,50 kr');
  const creditNumber = (await heading.textContent())!.replace('Kreditnota ', '');
  await expect(page.getByRole('table', { name: new RegExp(`Bilag ${creditNumber},`) }).getByRole('row').filter({ hasText: '1500' })).toContainText(
    '2 810,50',
  );

  // Back on the invoice: credited, nothing outstanding, the credit note listed.
  await page.getByRole('link', { name: `Krediterer faktura ${number} av ${today()}` }).click();
  await expect(page).toHaveURL(invoiceUrl);
  await expect(fact(page, 'Status')).toContainText('Kreditert');
  await expect(page.getByRole('table', { name: 'Beløp' }).getByRole('row', { name: /Utestående/ })).toContainText('0,00 kr');
  await expect(page.getByRole('table', { name: 'Beløp' }).getByRole('row', { name: /Kreditert/ })).toContainText('2 810,50 kr');
  await expect(page.getByRole('region', { name: 'Kreditnotaer' }).getByRole('link', { name: creditNumber, exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Krediter' })).toHaveCount(0);

  // The list shows it as credited with nothing open; the credit note is under "Kreditnotaer".
  await nav.getByRole('link', { name: 'Fakturaer' }).click();
  await page.getByLabel('Søk i fakturaer').fill(customerName);
  const rows = page.locator('table tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(number);
  await expect(rows.first()).toContainText('Kreditert');
  await expect(rows.first()).toContainText('2 810,50');
  await expect(page.locator('.list-totals')).toContainText('2 810,50 kr');
  await expect(page.locator('.list-totals')).toContainText('Utestående 0,00 kr');
  await page.getByRole('link', { name: 'Kreditnotaer' }).click();
  await expect(page).toHaveURL(/\/invoices\/credit-notes$/);
  await page.getByLabel('Søk i kreditnotaer').fill(customerName);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(creditNumber);
  await expect(rows.first().getByRole('link', { name: number, exact: true })).toBeVisible();
});

test('issuing without a delivery date names what is missing beside each field, and the invoice stays a draft', async ({ page }) => {
  await ensureBankAccount(page);
  const customer = await createCustomerViaApi(page, 'Mangler Levering AS');

  await page.goto('/invoices/new');
  await pickCustomer(page, customer.name);
  await line(page, 1).getByLabel('Beskrivelse').fill('Konsulenttimer');
  await line(page, 1).getByLabel('Enhetspris').fill('950');
  // A second line without a description.
  await page.getByRole('button', { name: 'Legg til linje' }).click();
  await line(page, 2).getByLabel('Enhetspris').fill('50');
  await issue(page);

  // Every missing item: in a list at the top, and beside its field.
  const summary = page.getByRole('alert').filter({ hasText: 'Fakturaen kan ikke utstedes ennå. Dette mangler:' });
  await expect(summary).toBeVisible();
  await expect(summary).toContainText('Leveringsdato eller -periode mangler');
  await expect(summary).toContainText('Linje 2: Beskrivelse mangler');
  const deliveryDate = page.getByRole('textbox', { name: 'Leveringsdato' });
  await expect(deliveryDate).toHaveAttribute('aria-invalid', 'true');
  await expect(deliveryDate).toHaveAccessibleDescription(/Leveringsdato eller -periode mangler/);
  await expect(page.locator('.field', { has: deliveryDate }).getByText('Leveringsdato eller -periode mangler')).toBeVisible();
  await expect(line(page, 2).getByLabel('Beskrivelse')).toHaveAccessibleDescription(/Beskrivelse mangler/);
  await expect(line(page, 1).getByLabel('Beskrivelse')).not.toHaveAttribute('aria-invalid', 'true');

  // The summary entry leads to the field.
  await summary.getByRole('link', { name: 'Leveringsdato eller -periode mangler' }).click();
  await expect(deliveryDate).toBeFocused();

  // Still a draft, on its own address, in the UI and in the API.
  await expect(page).toHaveURL(/\/invoices\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { name: 'Utkast til faktura', level: 1 })).toBeVisible();
  await expect(page.locator('.page-header').getByText('Utkast', { exact: true })).toBeVisible();
  const id = page.url().split('/').pop()!;
  expect((await apiCall<{ status: string; number: number | null }>(page, 'GET', `/invoices/${id}`)).status).toBe('draft');

  // Fixed, it issues.
  await deliveryDate.fill(today());
  await line(page, 2).getByLabel('Beskrivelse').fill('Reisetid');
  await issue(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Faktura \d+$/);
  await expect(fact(page, 'Status')).toContainText('Utstedt');
  await expect(page.getByRole('row', { name: /Totalt inkl\. mva/ })).toContainText('1 250,00 kr');
});

test('a company without a bank account is sent to the company settings, and can issue once it has one', async ({ page }) => {
  const customer = await createCustomerViaApi(page, 'Uten Konto AS');
  const draft = await apiCall<{ id: string }>(page, 'POST', '/invoices', {
    customerId: customer.id,
    deliveryDate: new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo' }).format(new Date()),
    lines: [{ description: 'Service', quantity: '1', unitPrice: '500', vatCode: '3' }],
  });
  await apiCall(page, 'PATCH', '/company', { bankAccount: null, iban: null });
  try {
    await page.goto(`/invoices/${draft.id}`);
    await issue(page);
    const summary = page.getByRole('alert').filter({ hasText: 'Dette mangler' });
    await expect(summary).toContainText('Firmaet mangler kontonummer (eller IBAN) som kunden kan betale til');
    await summary.getByRole('link', { name: 'Gå til firmainnstillingene' }).click();

    await expect(page.getByRole('heading', { name: 'Firma', level: 1 })).toBeVisible();
    await page.getByLabel('Kontonummer').fill(COMPANY.bankAccount);
    await page.getByRole('button', { name: 'Lagre', exact: true }).click();
    await expect(page.getByText('Firmaopplysningene er lagret.')).toBeVisible();

    await page.goBack();
    await expect(page.getByRole('heading', { name: 'Utkast til faktura', level: 1 })).toBeVisible();
    await issue(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Faktura \d+$/);
    await expect(page.getByRole('region', { name: 'Selger' })).toContainText('8601 11 17947');
  } finally {
    await ensureBankAccount(page);
  }
});

test('a product fills in a line; a draft can be edited and deleted', async ({ page }) => {
  const customer = await createCustomerViaApi(page, 'Produktkunde AS');
  const productNumber = unique('VARE').replace(' ', '-');
  await apiCall(page, 'POST', '/products', {
    productNumber,
    name: 'Filterpatron',
    unitCode: 'PK',
    unitPrice: '249.90',
    vatCode: '31',
  });

  await page.goto('/invoices/new');
  await pickCustomer(page, customer.name);
  await line(page, 1).getByRole('combobox', { name: 'Produkt' }).fill(productNumber);
  await page.getByRole('option', { name: productNumber }).click();
  await expect(line(page, 1).getByLabel('Beskrivelse')).toHaveValue('Filterpatron');
  await expect(line(page, 1).getByLabel('Enhetspris')).toHaveValue('249,90');
  await expect(line(page, 1).getByLabel('Enhet', { exact: true })).toHaveValue('PK');
  await expect(line(page, 1).getByLabel('MVA-kode')).toHaveValue('31');
  await expect(line(page, 1)).toContainText(`Produkt ${productNumber}`);
  await line(page, 1).getByLabel('Antall').fill('4');
  // 4 × 249,90 = 999,60; 15 % VAT 149,94.
  await expect(vatRow(page, '15 %')).toContainText('999,60');
  await expect(vatRow(page, '15 %')).toContainText('149,94');
  await page.getByRole('button', { name: 'Lagre utkast' }).click();
  await expect(page).toHaveURL(/\/invoices\/[0-9a-f-]{36}$/);

  // Edit: remove nothing, add a free-text line, save again; reload shows it.
  await page.getByRole('button', { name: 'Legg til linje' }).click();
  await line(page, 2).getByLabel('Beskrivelse').fill('Frakt');
  await line(page, 2).getByLabel('Enhetspris').fill('99');
  await page.getByRole('button', { name: 'Lagre utkast' }).click();
  await expect(page.getByText('Utkastet er lagret.')).toBeVisible();
  await page.reload();
  await expect(line(page, 2).getByLabel('Beskrivelse')).toHaveValue('Frakt');
  await expect(line(page, 1)).toContainText(`Produkt ${productNumber}`);
  await expect(page.getByRole('row', { name: /Totalt inkl\. mva/ })).toContainText('1 273,29 kr');

  // The list filters drafts; then the draft is deleted.
  await page.goto('/invoices');
  await page.getByLabel('Status').selectOption('draft');
  await page.getByLabel('Søk i fakturaer').fill(customer.name);
  const rows = page.locator('table tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Utkast');
  await rows.first().getByRole('link').click();
  await page.getByRole('button', { name: 'Slett utkast' }).click();
  await page.getByRole('group', { name: /Slette utkastet/ }).getByRole('button', { name: 'Slett utkast' }).click();
  await expect(page.getByText('Utkastet er slettet.')).toBeVisible();
  await expect(page).toHaveURL(/\/invoices$/);
});

test('invoice settings: KID and accounts are saved; test mode is closed once live documents exist', async ({ page }) => {
  // A live invoice exists (made here, so the test also runs alone).
  await ensureBankAccount(page);
  const customer = await createCustomerViaApi(page, 'Innstillinger AS');
  const draft = await apiCall<{ id: string }>(page, 'POST', '/invoices', {
    customerId: customer.id,
    deliveryDate: new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo' }).format(new Date()),
    lines: [{ description: 'Abonnement', unitPrice: '100' }],
  });
  await apiCall(page, 'POST', `/invoices/${draft.id}/issue`);

  await page.goto('/company');
  const section = page.getByRole('region', { name: 'Fakturainnstillinger' });
  await expect(section).toBeVisible();
  await expect(section.getByText(/Firmaet fakturerer live\. Neste fakturanummer: \d+\./)).toBeVisible();
  await expect(section.getByRole('button', { name: 'Gå i testmodus' })).toBeDisabled();
  await expect(section.getByRole('button', { name: 'Gå live' })).toBeDisabled();
  await expect(section.getByText(/Nummerserien er i gang, så testmodus og startnummer kan ikke lenger endres/)).toBeVisible();
  await expect(section.getByLabel('Kreditnotaer')).toBeDisabled();

  await section.getByLabel('Siffer for fakturanummer').fill('9');
  await expect(section.getByText(/Eksempel for kunde 1 og faktura \d+: \d{16} \(16 siffer\)/)).toBeVisible();
  await section.getByLabel('Inntektskonto for kode 3', { exact: true }).fill('30x');
  await section.getByRole('button', { name: 'Lagre fakturainnstillingene' }).click();
  await expect(section.getByLabel('Inntektskonto for kode 3', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await section.getByLabel('Inntektskonto for kode 3', { exact: true }).fill('3000');
  await section.getByLabel('Utgående mva-konto for kode 31').fill('2711');
  await section.getByRole('button', { name: 'Lagre fakturainnstillingene' }).click();
  await expect(page.getByText('Fakturainnstillingene er lagret.')).toBeVisible();
  await page.reload();
  const reloaded = page.getByRole('region', { name: 'Fakturainnstillinger' });
  await expect(reloaded.getByLabel('Siffer for fakturanummer')).toHaveValue('9');
  await expect(reloaded.getByLabel('Utgående mva-konto for kode 31')).toHaveValue('2711');

  // Put the defaults back for the other tests.
  await reloaded.getByLabel('Siffer for fakturanummer').fill('8');
  await reloaded.getByLabel('Utgående mva-konto for kode 31').fill('2701');
  await reloaded.getByRole('button', { name: 'Lagre fakturainnstillingene' }).click();
  await expect(page.getByText('Fakturainnstillingene er lagret.')).toBeVisible();
  const settings = await apiCall<{ kid: { invoiceDigits: number }; accounts: { outputVat: Record<string, string> } }>(
    page,
    'GET',
    '/company/invoice-settings',
  );
  expect(settings.kid.invoiceDigits).toBe(8);
  expect(settings.accounts.outputVat['31']).toBe('2701');
});

test('billers invoice and credit; accountants and read-only users only read', async ({ page }) => {
  await ensureBankAccount(page);
  const customer = await createCustomerViaApi(page, 'Rollekunde AS');
  const draft = await apiCall<{ id: string }>(page, 'POST', '/invoices', {
    customerId: customer.id,
    deliveryDate: new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo' }).format(new Date()),
    lines: [{ description: 'Timer', unitPrice: '800' }],
  });
  const issued = await apiCall<{ id: string }>(page, 'POST', `/invoices/${draft.id}/issue`);
  const second = await apiCall<{ id: string }>(page, 'POST', '/invoices', {
    customerId: customer.id,
    lines: [{ description: 'Utkast', unitPrice: '1' }],
  });
  const biller = await createMember(page, 'biller');
  const accountant = await createMember(page, 'accountant');

  // A biller writes and credits, but does not change the invoice settings.
  await switchUser(page, biller.email, biller.password);
  await page.goto('/invoices');
  await expect(page.getByRole('link', { name: 'Ny faktura' })).toBeVisible();
  await page.goto(`/invoices/${issued.id}`);
  await expect(page.getByRole('button', { name: 'Krediter' })).toBeVisible();
  await page.goto('/company');
  const section = page.getByRole('region', { name: 'Fakturainnstillinger' });
  await expect(section.getByText('Bare eiere og administratorer kan endre fakturainnstillingene.')).toBeVisible();
  await expect(section.getByRole('button', { name: 'Lagre fakturainnstillingene' })).toHaveCount(0);
  await expect(section.getByRole('button', { name: 'Gå i testmodus' })).toHaveCount(0);

  // An accountant reads invoices, drafts and journal entries, and changes nothing.
  await switchUser(page, accountant.email, accountant.password);
  await page.goto('/invoices');
  await expect(page.getByRole('heading', { name: 'Fakturaer', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Ny faktura' })).toHaveCount(0);
  await page.goto(`/invoices/${issued.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Faktura \d+$/);
  await expect(page.getByRole('table', { name: /^Bilag / })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Krediter' })).toHaveCount(0);
  await page.goto(`/invoices/${second.id}`);
  await expect(page.getByText('Du kan se utkastet, men ikke endre det.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Lagre utkast' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Utsted', exact: true })).toHaveCount(0);
  await expect(line(page, 1).getByLabel('Beskrivelse')).toBeDisabled();
  await page.goto('/invoices/new');
  await expect(page.getByText('Du har ikke tilgang til denne siden.')).toBeVisible();
});
