import { expect, test, type Locator, type Page } from '@playwright/test';
import { apiCall, COMPANY, loginViaApi, unique } from './fixtures.js';

/**
 * Bank files in the UI: a camt.054 uploaded through the file picker books the payment with the
 * first invoice's KID and leaves the one with an unknown reference for review; the summary shows
 * counts, sums and that they reconcile; the same file again is recognised and links to the first
 * import; the waiting payment is matched by hand to the second invoice (search, default amount,
 * the rest as credit, a server field error beside the amount) and the invoice becomes paid. A large
 * broken file moves the progress bar while it uploads and is rejected naming the element.
 */

function osloDate(): { iso: string; text: string } {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const [year, month, day] = parts.split('-');
  return { iso: parts, text: `${day}.${month}.${year}` };
}

interface Entry {
  amount: string;
  ref: string;
  kid?: string;
  text?: string;
  payer: string;
}

/** A camt.054.001.02 notification with one credit entry per payment; `padding` bytes of XML comment make it large. */
function camt054(messageId: string, date: string, entries: Entry[], padding = 0): Buffer {
  const ntry = (entry: Entry) => `
      <Ntry>
        <Amt Ccy="NOK">${entry.amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>${date}</Dt></BookgDt><ValDt><Dt>${date}</Dt></ValDt>
        <AcctSvcrRef>${entry.ref}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls><TxDtls>
          <Refs><AcctSvcrRef>${entry.ref}</AcctSvcrRef></Refs>
          <AmtDtls><TxAmt><Amt Ccy="NOK">${entry.amount}</Amt></TxAmt></AmtDtls>
          <RltdPties><Dbtr><Nm>${entry.payer}</Nm></Dbtr></RltdPties>
          <RmtInf>${entry.text ? `<Ustrd>${entry.text}</Ustrd>` : ''}${
            entry.kid ? `<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${entry.kid}</Ref></CdtrRefInf></Strd>` : ''
          }</RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>`;
  const comment = padding > 0 ? `\n<!-- ${'x'.repeat(padding)} -->` : '';
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>${comment}
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02">
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr><MsgId>${messageId}</MsgId><CreDtTm>${date}T10:00:00</CreDtTm></GrpHdr>
    <Ntfctn>
      <Id>${messageId}-1</Id><CreDtTm>${date}T10:00:00</CreDtTm>
      <Acct><Id><Othr><Id>${COMPANY.bankAccount}</Id><SchmeNm><Cd>BBAN</Cd></SchmeNm></Othr></Id><Ccy>NOK</Ccy></Acct>${entries.map(ntry).join('')}
    </Ntfctn>
  </BkToCstmrDbtCdtNtfctn>
</Document>`);
}

function fact(scope: Locator, label: string): Locator {
  return scope.locator('.facts__item').filter({ has: scope.page().locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd');
}

async function upload(page: Page, name: string, buffer: Buffer) {
  await page.getByLabel('Velg fil').setInputFiles({ name, mimeType: 'application/xml', buffer });
}

test.beforeEach(async ({ page }) => {
  await loginViaApi(page);
});

test('a camt.054 books the KID payment, the unknown one is matched by hand, a duplicate and a broken file are recognised', async ({ page }) => {
  test.setTimeout(60_000);
  const today = osloDate();
  await apiCall(page, 'PATCH', '/company', { bankAccount: COMPANY.bankAccount });
  const customer = await apiCall<{ id: string; name: string }>(page, 'POST', '/customers', {
    kind: 'business',
    name: unique('Bankkunden AS'),
    address: { line1: 'Strandkaien 4', postalCode: '5013', city: 'Bergen', countryCode: 'NO' },
  });
  async function issue(unitPrice: string) {
    const draft = await apiCall<{ id: string }>(page, 'POST', '/invoices', {
      customerId: customer.id,
      deliveryDate: today.iso,
      lines: [{ description: 'Sjømat', quantity: '1', unitPrice, vatCode: '3' }],
    });
    return apiCall<{ id: string; documentNumber: string; kid: string; openMinor: number }>(page, 'POST', `/invoices/${draft.id}/issue`);
  }
  const first = await issue('1000.00'); // 1 250,00
  const second = await issue('2000.00'); // 2 500,00
  expect(first.kid).toMatch(/^\d+$/);
  expect(second.openMinor).toBe(250_000);

  const tag = unique('E2E').split(' ')[1]!;
  const payer = `Ukjent Betaler ${tag}`;
  const fileName = `camt054-${tag}.xml`;
  const file = camt054(`MSG-${tag}`, today.iso, [
    { amount: '1250.00', ref: `REF-${tag}-1`, kid: first.kid, payer: 'Bankkunden AS' },
    { amount: '2613.00', ref: `REF-${tag}-2`, text: 'Innbetaling uten referanse', payer },
  ]);

  // ---- Upload through the picker: 1 booked, 1 for review ----
  await page.goto('/invoices');
  await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Bankfiler' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Bankfiler' })).toBeVisible();
  await upload(page, fileName, file);
  const result = page.locator('.bank-result');
  await expect(result).toHaveAttribute('data-status', 'completed');
  await expect(result.getByText(`${fileName} er importert.`)).toBeVisible();
  await expect(fact(result, 'Format')).toHaveText('camt.054 (innbetalingsmelding)');
  await expect(fact(result, 'Betalinger')).toHaveText('2');
  await expect(fact(result, 'Bokført')).toHaveText('1');
  await expect(fact(result, 'Til kontroll')).toHaveText('1');
  await expect(fact(result, 'Duplikater')).toHaveText('0');
  await expect(fact(result, 'Andre transaksjoner')).toHaveText('0');
  const sums = result.getByRole('table', { name: 'Summer per valuta' }).locator('tr[data-currency="NOK"]');
  await expect(sums.locator('td')).toHaveText(['3 863,00 kr', '1 250,00 kr', '2 613,00 kr', '0,00 kr']);
  await expect(result.getByText('Summene stemmer: bokført = innbetalt − til kontroll − duplikater.')).toBeVisible();
  const importId = (await result.getAttribute('data-import-id'))!;
  // The earlier imports list has it, and the KID payment paid the first invoice.
  await expect(page.locator(`tr[data-import="${importId}"]`)).toContainText(fileName);
  await expect(page.locator(`tr[data-import="${importId}"]`)).toContainText('Importert');
  expect(await apiCall<{ status: string }>(page, 'GET', `/invoices/${first.id}`)).toMatchObject({ status: 'paid' });

  // ---- The same file again: recognised, nothing booked, a link to the first import ----
  await upload(page, fileName, file);
  await expect(result).toHaveAttribute('data-status', 'duplicate_file');
  await expect(result.getByText('Denne filen er importert før. Ingenting er bokført på nytt.')).toBeVisible();
  await expect(fact(result, 'Bokført')).toHaveText('0');
  await expect(fact(result, 'Duplikater')).toHaveText('2');
  await result.getByRole('link', { name: /^Se importen fra \d\d\.\d\d\.\d{4} \d\d:\d\d$/ }).click();
  await expect(page).toHaveURL(new RegExp(`/bank-imports/${importId}$`));
  await expect(page.getByRole('heading', { level: 1, name: `Bankfil ${fileName}` })).toBeVisible();
  const transactions = page.getByRole('region', { name: 'Betalinger i filen' });
  await expect(transactions.locator('tbody tr')).toHaveCount(2);
  await expect(transactions.locator('tbody tr').nth(0)).toContainText('Bokført');
  await expect(transactions.locator('tbody tr').nth(1)).toContainText('Til kontroll');

  // ---- The review queue: match the unknown payment to the second invoice by hand ----
  await page.getByRole('link', { name: 'Alle bankfiler' }).click();
  await page.getByRole('navigation', { name: 'Bankfiler' }).getByRole('link', { name: /^Til kontroll/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Til kontroll' })).toBeVisible();
  const row = page.locator('tbody tr').filter({ hasText: payer });
  await expect(row).toContainText('2 613,00 kr');
  await expect(row).toContainText(today.text);
  await expect(row).toContainText('Innbetaling uten referanse');
  await expect(row).toContainText('Ingen åpen faktura passer.');
  await row.getByRole('button', { name: `Avstem innbetaling på 2 613,00 kr fra ${payer}` }).click();
  const form = page.getByRole('form', { name: 'Avstem innbetaling på 2 613,00 kr' });
  await expect(form.getByText('Ingen forslag.')).toBeVisible();

  // Nothing chosen: said at once.
  await form.getByRole('button', { name: 'Bokfør innbetalingen' }).click();
  await expect(form.getByText('Velg minst én faktura.')).toBeVisible();

  await form.getByRole('combobox', { name: 'Søk blant åpne fakturaer' }).fill(second.documentNumber);
  await form.getByRole('option', { name: new RegExp(`Faktura ${second.documentNumber} `) }).click();
  const amount = form.getByLabel(`Beløp til faktura ${second.documentNumber}`);
  // The smaller of the payment and what is open; the rest is the customer's credit.
  await expect(amount).toHaveValue('2500,00');
  await expect(form.getByText('Resten, 113,00 kr, blir stående som kundens tilgode.')).toBeVisible();

  // More than is open on the invoice: refused by the server, beside the amount.
  await amount.fill('2600');
  await expect(form.getByText('Resten, 13,00 kr, blir stående som kundens tilgode.')).toBeVisible();
  await form.getByRole('button', { name: 'Bokfør innbetalingen' }).click();
  await expect(form.getByText('Mer enn det som er utestående på fakturaen.')).toBeVisible();
  await expect(amount).toHaveAttribute('aria-invalid', 'true');

  await amount.fill('2500,00');
  await form.getByRole('button', { name: 'Bokfør innbetalingen' }).click();
  await expect(page.getByText('Innbetalingen på 2 613,00 kr er bokført.')).toBeVisible();
  await expect(form).toHaveCount(0);
  await expect(row).toHaveCount(0);

  // The second invoice is paid; the 113,00 is the customer's credit.
  await page.goto(`/invoices/${second.id}`);
  await expect(page.locator('.facts__item').filter({ has: page.locator('dt', { hasText: 'Status' }) }).locator('dd')).toContainText('Betalt');
  const section = page.getByRole('region', { name: 'Betalinger' });
  await expect(section.getByTestId('payments-paid')).toHaveText('2 500,00 kr');
  await expect(section.getByTestId('payments-open')).toHaveText('0,00 kr');
  const paid = await apiCall<{ status: string; openMinor: number }>(page, 'GET', `/invoices/${second.id}`);
  expect(paid).toMatchObject({ status: 'paid', openMinor: 0 });
  const payments = await apiCall<{ items: Array<{ amountMinor: number; unallocatedMinor: number; source: string; payerName: string }> }>(
    page,
    'GET',
    `/invoices/${second.id}/payments`,
  );
  expect(payments.items).toEqual([expect.objectContaining({ amountMinor: 261_300, unallocatedMinor: 11_300, source: 'bank_import', payerName: payer })]);

  // ---- A large broken file: the bar moves while it uploads, then the rejection names the element ----
  await page.goto('/bank-imports');
  await expect(page.getByRole('heading', { level: 1, name: 'Bankfiler' })).toBeVisible();
  const broken = camt054(`BAD-${tag}`, today.iso, [{ amount: '12,50', ref: `BAD-${tag}-1`, payer }], 6 * 1024 * 1024);
  // Slow the upload down (about 4 MB/s) and record every value the progress bar shows.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 4 * 1024 * 1024 });
  // (A script string: the test project has no DOM types.)
  await page.evaluate(`(() => {
    const seen = [];
    window.progressSeen = seen;
    new MutationObserver(() => {
      const value = document.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow');
      if (value != null && seen.at(-1) !== Number(value)) seen.push(Number(value));
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
  })()`);
  await upload(page, `broken-${tag}.xml`, broken);
  const rejection = page.getByRole('alert').filter({ hasText: 'Filen ble avvist, og ingenting er bokført.' });
  await expect(rejection).toBeVisible({ timeout: 20_000 });
  await expect(rejection.getByTestId('bank-rejection')).toContainText(`broken-${tag}.xml: Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/Amt`);
  await expect(rejection.getByTestId('bank-rejection')).toContainText('12,50');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  const seen = (await page.evaluate('window.progressSeen')) as number[];
  const between = seen.filter((value) => value > 0 && value < 100);
  expect(between.length, `progress values seen: ${seen.join(', ')}`).toBeGreaterThanOrEqual(2);
  expect(between).toEqual([...between].sort((a, b) => a - b));
  expect(seen.at(-1)).toBe(100);
  // Recorded as rejected in the list; nothing was booked for it.
  await expect(page.locator('tbody tr').filter({ hasText: `broken-${tag}.xml` })).toContainText('Avvist');
});
