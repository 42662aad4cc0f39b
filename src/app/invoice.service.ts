import type { Insertable } from 'kysely';
import type { Db } from '../db/database.js';
import { invoiceRowToDocument } from '../db/invoice-mappers.js';
import { findCompanyById } from '../db/repositories/company.repository.js';
import { findCustomer } from '../db/repositories/customer.repository.js';
import type { Executor } from '../db/repositories/executor.js';
import {
  deleteInvoiceDraft,
  findInvoice,
  insertInvoice,
  insertInvoiceLines,
  insertVatTotals,
  listCreditNotesFor,
  listInvoiceLines,
  listInvoices,
  listVatTotals,
  replaceInvoiceLines,
  replaceVatTotals,
  sumCreditedByLine,
  updateInvoice,
} from '../db/repositories/invoice.repository.js';
import { insertJournalEntry } from '../db/repositories/journal.repository.js';
import { takeNextNumber } from '../db/repositories/number-series.repository.js';
import { findProduct } from '../db/repositories/product.repository.js';
import type {
  CompanyRow,
  CustomerRow,
  InvoiceLineRow,
  InvoiceLinesTable,
  InvoiceRow,
  InvoiceRowUpdate,
  InvoiceVatTotalRow,
  NewInvoiceRow,
  ProductRow,
} from '../db/schema.js';
import { addDays, calendarDateIn } from '../domain/calendar-date.js';
import { AppError, type FieldIssue, validationError } from '../domain/errors.js';
import { type DeliveryChannel, defaultDeliveryChannel } from '../domain/delivery.js';
import {
  type AllowanceChargeType,
  allowanceChargeBases,
  percentageAmountMinor,
  signedNetMinor,
} from '../domain/invoice/allowance-charge.js';
import { finalCreditTotals } from '../domain/invoice/credit-note.js';
import { basisPointsToPercent, type InvoiceDocument, percentToBasisPoints } from '../domain/invoice/invoice.js';
import { computeInvoiceTotals, effectiveVat, type InvoiceTotals, lineNetMinor } from '../domain/invoice/invoice-totals.js';
import { buildJournalLines } from '../domain/invoice/journal.js';
import { checkMandatoryContent } from '../domain/invoice/legal-check.js';
import { createKid, KidTooLongError } from '../domain/kid.js';
import { formatMicros, MICROS_PER_UNIT, parseDecimalToMicros } from '../domain/money.js';
import type { SellerSnapshot } from '../domain/party.js';
import { type AuditEntry, recordCompanyAudit, recordCompanyAuditEvents } from './audit.js';
import type { CompanyContext } from './context.js';
import { releaseCreditedSurplus } from './payment-release.js';
import type {
  AllowanceChargeInput,
  CreditNoteCreateInput,
  InvoiceCreateInput,
  InvoiceLineInput,
  InvoiceListQueryInput,
  InvoiceUpdateInput,
} from './invoice.schemas.js';
import { documentNumberFor, invoiceSettingsOf, type InvoiceSettings, sellerSnapshotOf, seriesFor } from './invoice-settings.js';
import { decodeCursor, likeContains, type Page, toPage } from './pagination.js';
import type { Clock, IdGenerator } from './ports.js';

export interface InvoiceServiceDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
}

const NOK_RATE = 1_000_000;

type NewLine = Insertable<InvoiceLinesTable>;

function buyerSnapshot(customer: CustomerRow) {
  return {
    customer_id: customer.id,
    customer_number: customer.customer_number,
    buyer_name: customer.name,
    buyer_kind: customer.kind,
    buyer_org_number: customer.org_number,
    buyer_email: customer.email,
    buyer_address_line1: customer.address_line1,
    buyer_address_line2: customer.address_line2,
    buyer_postal_code: customer.postal_code,
    buyer_city: customer.city,
    buyer_country_code: customer.country_code,
    buyer_peppol_id: customer.peppol_id,
    buyer_language: customer.language,
  };
}

function totalsColumns(totals: InvoiceTotals) {
  return {
    net_total_minor: totals.netTotalMinor,
    vat_total_minor: totals.vatTotalMinor,
    gross_total_minor: totals.grossTotalMinor,
    payable_minor: totals.payableMinor,
    net_total_nok_minor: totals.netTotalNokMinor,
    vat_total_nok_minor: totals.vatTotalNokMinor,
    gross_total_nok_minor: totals.grossTotalNokMinor,
  };
}

function lineForTotals(line: Pick<NewLine, 'quantity_micros' | 'unit_price_micros' | 'discount_bp' | 'vat_code' | 'line_type'>) {
  return {
    quantityMicros: line.quantity_micros,
    unitPriceMicros: line.unit_price_micros ?? 0,
    discountBasisPoints: line.discount_bp,
    vatCode: line.vat_code,
    type: line.line_type,
  };
}

/** Recomputes each line's effective VAT and net, and the document totals, for the seller's registration. */
function priceLines<T extends NewLine>(lines: T[], isVatRegistered: boolean, exchangeRateMicros: number) {
  const priced = lines.map((line): T => {
    const vat = effectiveVat(line.vat_code, isVatRegistered);
    return {
      ...line,
      vat_category: vat.category,
      vat_rate_bp: vat.rateBasisPoints,
      net_minor: line.line_type === 'item' ? lineNetMinor(lineForTotals(line)) : 0,
    };
  });
  // A percentage allowance or charge takes its base from the item lines of its (effective) VAT code.
  const bases = allowanceChargeBases(
    priced.filter((line) => line.line_type === 'item').map((line) => ({ netMinor: line.net_minor!, vatCode: line.vat_code })),
    isVatRegistered,
  );
  for (const line of priced) {
    if (line.line_type === 'item') continue;
    if (line.percent_bp !== null && line.percent_bp !== undefined) {
      const base = bases.get(effectiveVat(line.vat_code, isVatRegistered).vatCode) ?? 0;
      const amount = percentageAmountMinor(base, line.percent_bp);
      line.base_minor = base;
      line.unit_price_micros = signedNetMinor(line.line_type, amount) * 10_000;
    }
    line.net_minor = lineNetMinor(lineForTotals(line));
  }
  const totals = computeInvoiceTotals(priced.map(lineForTotals), { isVatRegistered, exchangeRateMicros });
  return { lines: priced, totals };
}

/** Whether the stored VAT totals are exactly the computed rows (any order). */
function sameVatTotals(stored: readonly InvoiceVatTotalRow[], computed: ReturnType<typeof vatTotalRows>): boolean {
  return (
    stored.length === computed.length &&
    computed.every((row) => {
      const match = stored.find((entry) => entry.vat_code === row.vat_code);
      return (
        match !== undefined &&
        match.vat_category === row.vat_category &&
        match.vat_rate_bp === row.vat_rate_bp &&
        match.taxable_minor === row.taxable_minor &&
        match.vat_minor === row.vat_minor &&
        match.taxable_nok_minor === row.taxable_nok_minor &&
        match.vat_nok_minor === row.vat_nok_minor
      );
    })
  );
}

/** The VAT totals rows of a document, in the order listVatTotals reads them (rate descending, then code). */
function vatTotalRows(invoiceId: string, companyId: string, totals: InvoiceTotals): InvoiceVatTotalRow[] {
  const rows = totals.vatBreakdown.map((entry) => ({
    invoice_id: invoiceId,
    company_id: companyId,
    vat_code: entry.vatCode,
    vat_category: entry.category,
    vat_rate_bp: entry.rateBasisPoints,
    taxable_minor: entry.taxableMinor,
    vat_minor: entry.vatMinor,
    taxable_nok_minor: entry.taxableNokMinor,
    vat_nok_minor: entry.vatNokMinor,
  }));
  return rows.sort((a, b) => b.vat_rate_bp - a.vat_rate_bp || (a.vat_code < b.vat_code ? -1 : a.vat_code > b.vat_code ? 1 : 0));
}

/** A new draft's row with every column set, as the database returns it after the insert. */
function draftRow(fields: Pick<InvoiceRow, 'id' | 'company_id' | 'is_test' | 'currency' | 'exchange_rate_micros' | 'created_at'> &
  ReturnType<typeof buyerSnapshot> & ReturnType<typeof totalsColumns> & Partial<NewInvoiceRow>): InvoiceRow {
  return {
    kind: 'invoice',
    state: 'draft',
    series: null,
    number: null,
    document_number: null,
    seller_json: null,
    issue_date: null,
    delivery_date: null,
    delivery_period_start: null,
    delivery_period_end: null,
    delivery_address_json: null,
    due_date: null,
    payment_terms_days: null,
    buyer_reference: null,
    order_reference: null,
    our_reference: null,
    free_text: null,
    kid: null,
    credited_invoice_id: null,
    credited_invoice_number: null,
    credited_invoice_date: null,
    credit_reason: null,
    journal_entry_id: null,
    issued_at: null,
    sent_at: null,
    paid_minor: 0,
    credited_minor: 0,
    updated_at: fields.created_at,
    ...fields,
  } as InvoiceRow;
}

/** A draft priced in memory: its row, lines and VAT totals exactly as they will be stored. */
interface DraftParts {
  row: InvoiceRow;
  lines: InvoiceLineRow[];
  vatTotals: InvoiceVatTotalRow[];
  customer: CustomerRow;
}

type AuditEvent = Pick<AuditEntry, 'action' | 'entityType' | 'entityId' | 'details'>;

interface IssuePlan {
  settings: InvoiceSettings;
  isVatRegistered: boolean;
  rate: number;
  priced: { lines: InvoiceLineRow[]; totals: InvoiceTotals };
  today: string;
  issueDate: string;
  dueDate: string;
  terms: number;
  customer: CustomerRow;
}

export function createInvoiceService(deps: InvoiceServiceDeps) {
  const { db, clock, ids } = deps;
  const lockRows = db.dialect === 'postgres';

  async function requireCompany(executor: Executor, ctx: CompanyContext): Promise<CompanyRow> {
    const company = await findCompanyById(executor, ctx.companyId);
    if (!company) throw new AppError('company.not_found', 'Company not found');
    return company;
  }

  async function requireInvoice(executor: Executor, ctx: CompanyContext, id: string, lock = false): Promise<InvoiceRow> {
    const row = await findInvoice(executor, ctx.companyId, id, { lock: lock && lockRows });
    if (!row) throw new AppError('invoice.not_found', 'Invoice not found');
    return row;
  }

  async function requireCustomer(executor: Executor, ctx: CompanyContext, customerId: string): Promise<CustomerRow> {
    const customer = await findCustomer(executor, ctx.companyId, customerId);
    if (!customer) {
      throw validationError([{ path: 'customerId', code: 'customer.not_found', message: 'No such customer' }]);
    }
    return customer;
  }

  /** Turns input lines into rows, filling gaps from the product; unknown products are field errors. */
  async function resolveLines(
    executor: Executor,
    ctx: CompanyContext,
    invoiceId: string,
    inputs: InvoiceLineInput[],
    allowanceCharges: AllowanceChargeInput[],
  ): Promise<InvoiceLineRow[]> {
    const issues: FieldIssue[] = [];
    const rows: InvoiceLineRow[] = [];
    const products = new Map<string, ProductRow | undefined>();
    for (const [index, input] of inputs.entries()) {
      let product: ProductRow | undefined;
      if (input.productId) {
        if (!products.has(input.productId)) products.set(input.productId, await findProduct(executor, ctx.companyId, input.productId));
        product = products.get(input.productId);
      }
      if (input.productId && !product) {
        issues.push({ path: `lines.${index}.productId`, code: 'product.not_found', message: 'No such product' });
        continue;
      }
      const unitPriceMicros =
        input.unitPrice !== undefined && input.unitPrice !== null
          ? parseDecimalToMicros(input.unitPrice)!
          : (product?.unit_price_micros ?? null);
      rows.push({
        id: ids.newId(),
        invoice_id: invoiceId,
        company_id: ctx.companyId,
        position: index + 1,
        product_id: product?.id ?? null,
        description: input.description ?? product?.name ?? null,
        quantity_micros: parseDecimalToMicros(input.quantity)!,
        unit_code: input.unitCode ?? product?.unit_code ?? 'C62',
        unit_price_micros: unitPriceMicros,
        discount_bp: percentToBasisPoints(input.discountPercent),
        vat_code: input.vatCode ?? product?.vat_code ?? '3',
        vat_category: 'S',
        vat_rate_bp: 0,
        revenue_account:
          input.revenueAccount !== undefined ? input.revenueAccount : (product?.revenue_account ?? null),
        net_minor: 0,
        credited_line_id: null,
        line_type: 'item',
        reason_code: null,
        percent_bp: null,
        base_minor: null,
      });
    }
    if (issues.length > 0) throw validationError(issues);
    for (const input of allowanceCharges) rows.push(allowanceChargeRow(ctx, invoiceId, rows.length + 1, input));
    return rows;
  }

  /** A document-level allowance or charge as a line row (quantity 1, signed price; percentages priced later). */
  function allowanceChargeRow(ctx: CompanyContext, invoiceId: string, position: number, input: AllowanceChargeInput): InvoiceLineRow {
    const amountMinor = input.amount !== undefined ? parseDecimalToMicros(input.amount)! / 10_000 : 0;
    return {
      id: ids.newId(),
      invoice_id: invoiceId,
      company_id: ctx.companyId,
      position,
      product_id: null,
      description: input.reason,
      quantity_micros: Number(MICROS_PER_UNIT),
      unit_code: 'C62',
      unit_price_micros: signedNetMinor(input.type, amountMinor) * 10_000,
      discount_bp: 0,
      vat_code: input.vatCode,
      vat_category: 'S',
      vat_rate_bp: 0,
      revenue_account: input.revenueAccount ?? null,
      net_minor: 0,
      credited_line_id: null,
      line_type: input.type,
      reason_code: input.reasonCode?.trim() || null,
      percent_bp: input.percent !== undefined ? percentToBasisPoints(input.percent) : null,
      base_minor: null,
    };
  }

  /** The input that would make an existing allowance or charge row again (to keep it when only the items change). */
  function allowanceChargeInputOf(row: InvoiceLineRow): AllowanceChargeInput {
    const type = row.line_type === 'charge' ? 'charge' : 'allowance';
    return {
      type,
      reason: row.description ?? '',
      reasonCode: row.reason_code,
      vatCode: row.vat_code as AllowanceChargeInput['vatCode'],
      revenueAccount: row.revenue_account,
      ...(row.percent_bp !== null
        ? { percent: basisPointsToPercent(row.percent_bp) }
        : { amount: formatMicros(Math.abs(row.net_minor) * 10_000) }),
    };
  }

  function exchangeRateOf(currency: string, exchangeRate: string | null | undefined): number {
    if (currency === 'NOK') return NOK_RATE;
    return exchangeRate ? parseDecimalToMicros(exchangeRate)! : 0;
  }

  /** `known`: parts the caller read in this transaction and did not change since, so need no second read. */
  async function loadDocument(
    executor: Executor,
    ctx: CompanyContext,
    row: InvoiceRow,
    timeZone?: string,
    known: { lines?: InvoiceLineRow[]; vatTotals?: InvoiceVatTotalRow[]; creditNotes?: InvoiceRow[] } = {},
  ) {
    const zone = timeZone ?? (await requireCompany(executor, ctx)).time_zone;
    const [lines, vatTotals, creditNotes] = await Promise.all([
      known.lines ?? listInvoiceLines(executor, [row.id]),
      known.vatTotals ?? listVatTotals(executor, [row.id]),
      known.creditNotes ??
        (row.kind === 'invoice' && row.state === 'issued' ? listCreditNotesFor(executor, ctx.companyId, row.id) : []),
    ]);
    return invoiceRowToDocument(row, { lines, vatTotals, creditNotes, now: clock.now(), timeZone: zone });
  }

  async function postJournal(
    trx: Executor,
    ctx: CompanyContext,
    input: {
      kind: 'invoice' | 'credit_note';
      documentId: string;
      documentNumber: string;
      entryDate: string;
      isTest: boolean;
      customerId: string;
      buyerName: string;
      lines: ReadonlyArray<Pick<InvoiceLineRow, 'net_minor' | 'vat_code' | 'revenue_account'>>;
      totals: InvoiceTotals;
      isVatRegistered: boolean;
      exchangeRateMicros: number;
      settings: InvoiceSettings;
    },
  ): Promise<string> {
    const label = `${input.kind === 'invoice' ? 'Faktura' : 'Kreditnota'} ${input.documentNumber} ${input.buyerName}`;
    const lines = buildJournalLines({
      kind: input.kind,
      documentLabel: label,
      lines: input.lines.map((line) => ({ netMinor: line.net_minor, vatCode: line.vat_code, revenueAccount: line.revenue_account })),
      totals: input.totals,
      isVatRegistered: input.isVatRegistered,
      exchangeRateMicros: input.exchangeRateMicros,
      accounts: input.settings.accounts,
    });
    const entryId = ids.newId();
    await insertJournalEntry(
      trx,
      {
        id: entryId,
        company_id: ctx.companyId,
        voucher: input.documentNumber,
        entry_date: input.entryDate,
        description: label,
        source_type: input.kind,
        source_id: input.documentId,
        is_test: input.isTest ? 1 : 0,
        created_at: clock.now().toISOString(),
      },
      lines.map((line, index) => ({
        id: ids.newId(),
        entry_id: entryId,
        company_id: ctx.companyId,
        line_number: index + 1,
        entry_date: input.entryDate,
        account: line.account,
        debit_minor: line.debitMinor,
        credit_minor: line.creditMinor,
        vat_code: line.vatCode,
        customer_id: line.account === input.settings.accounts.receivable ? input.customerId : null,
        description: line.description,
      })),
    );
    return entryId;
  }

  function draftColumns(input: InvoiceCreateInput | InvoiceUpdateInput) {
    const columns: Partial<NewInvoiceRow> = {};
    if (input.issueDate !== undefined) columns.issue_date = input.issueDate;
    if (input.deliveryDate !== undefined) columns.delivery_date = input.deliveryDate;
    if (input.deliveryPeriod !== undefined) {
      columns.delivery_period_start = input.deliveryPeriod?.start ?? null;
      columns.delivery_period_end = input.deliveryPeriod?.end ?? null;
    }
    if (input.deliveryAddress !== undefined) {
      columns.delivery_address_json = input.deliveryAddress ? JSON.stringify(input.deliveryAddress) : null;
    }
    if (input.dueDate !== undefined) columns.due_date = input.dueDate;
    if (input.paymentTermsDays !== undefined) columns.payment_terms_days = input.paymentTermsDays;
    if (input.buyerReference !== undefined) columns.buyer_reference = input.buyerReference ?? null;
    if (input.orderReference !== undefined) columns.order_reference = input.orderReference ?? null;
    if (input.ourReference !== undefined) columns.our_reference = input.ourReference ?? null;
    if (input.freeText !== undefined) columns.free_text = input.freeText ?? null;
    return columns;
  }


  /** A new draft from input, priced, in memory: nothing is written yet. */
  async function prepareDraft(trx: Executor, ctx: CompanyContext, company: CompanyRow, input: InvoiceCreateInput): Promise<DraftParts> {
    const customer = await requireCustomer(trx, ctx, input.customerId);
    if (customer.archived_at) {
      throw validationError([{ path: 'customerId', code: 'customer.archived', message: 'The customer is archived' }]);
    }
    const id = ids.newId();
    const rate = exchangeRateOf(input.currency, input.exchangeRate);
    const priced = priceLines(
      await resolveLines(trx, ctx, id, input.lines, input.allowanceCharges),
      Boolean(company.is_vat_registered),
      rate || NOK_RATE,
    );
    const row = draftRow({
      id,
      company_id: ctx.companyId,
      is_test: company.is_test_mode,
      ...buyerSnapshot(customer),
      ...draftColumns(input),
      currency: input.currency,
      exchange_rate_micros: rate,
      ...totalsColumns(priced.totals),
      created_at: clock.now().toISOString(),
    });
    return { row, lines: priced.lines, vatTotals: vatTotalRows(id, ctx.companyId, priced.totals), customer };
  }

  /** Writes the draft; its audit event (`draftCreated`) is the caller's to record. */
  async function writeDraft(trx: Executor, draft: DraftParts): Promise<void> {
    await insertInvoice(trx, draft.row);
    await insertInvoiceLines(trx, draft.lines);
    await insertVatTotals(trx, draft.vatTotals);
  }

  const draftCreated = (id: string): AuditEvent => ({ action: 'invoice.draft_created', entityType: 'invoice', entityId: id });

  /**
   * Everything an issue decides before it writes: the lines priced for the seller's
   * registration now, issue and due dates, and the legal check (bokføringsforskriften
   * §§ 5-1-1 – 5-1-3), which throws `invoice.incomplete` listing every missing item.
   */
  function planIssue(company: CompanyRow, customer: CustomerRow | undefined, row: InvoiceRow, lines: InvoiceLineRow[]): IssuePlan {
    const settings = invoiceSettingsOf(company);
    const isVatRegistered = Boolean(company.is_vat_registered);
    const rate = row.currency === 'NOK' ? NOK_RATE : row.exchange_rate_micros;
    const priced = priceLines(lines.map((line) => ({ ...line })), isVatRegistered, rate || NOK_RATE);
    const today = calendarDateIn(clock.now(), company.time_zone);
    const issueDate = row.issue_date ?? today;
    const terms = row.payment_terms_days ?? customer?.payment_terms_days ?? company.payment_terms_days;
    const dueDate = row.due_date ?? addDays(issueDate, terms);
    const issues = checkMandatoryContent({
      kind: 'invoice',
      today,
      seller: {
        legalName: company.legal_name,
        orgNumber: company.org_number,
        isVatRegistered,
        bankAccount: company.bank_account,
        iban: company.iban,
      },
      buyer: customer
        ? {
            name: customer.name,
            kind: customer.kind as 'business' | 'person',
            orgNumber: customer.org_number,
            addressLine1: customer.address_line1,
            postalCode: customer.postal_code,
            city: customer.city,
            countryCode: customer.country_code,
          }
        : null,
      issueDate,
      deliveryDate: row.delivery_date,
      deliveryPeriodStart: row.delivery_period_start,
      deliveryPeriodEnd: row.delivery_period_end,
      dueDate,
      currency: row.currency,
      exchangeRateMicros: rate,
      lines: priced.lines
        .filter((line) => line.line_type === 'item')
        .map((line) => ({
          description: line.description ?? null,
          quantityMicros: line.quantity_micros,
          unitPriceMicros: line.unit_price_micros ?? null,
          vatCode: line.vat_code,
          netMinor: line.net_minor,
          vatGroup: effectiveVat(line.vat_code, isVatRegistered).vatCode,
        })),
      allowanceCharges: priced.lines
        .filter((line) => line.line_type !== 'item')
        .map((line) => ({
          type: line.line_type as AllowanceChargeType,
          reason: line.description ?? null,
          amountMinor: signedNetMinor(line.line_type as AllowanceChargeType, line.net_minor),
          vatCode: line.vat_code,
          vatGroup: effectiveVat(line.vat_code, isVatRegistered).vatCode,
        })),
      grossTotalMinor: priced.totals.grossTotalMinor,
      sentAsEhf:
        customer !== undefined &&
        defaultDeliveryChannel({ deliveryChannel: customer.delivery_channel as DeliveryChannel | null, peppolId: customer.peppol_id }) === 'ehf',
      buyerReference: row.buyer_reference,
      orderReference: row.order_reference,
    });
    if (issues.length > 0) {
      throw new AppError('invoice.incomplete', 'The invoice lacks mandatory content and cannot be issued', { issues });
    }
    // Only a buyer can pass the legal check, so `customer` is set from here on.
    return { settings, isVatRegistered, rate, priced, today, issueDate, dueDate, terms, customer: customer! };
  }

  /**
   * Issues a checked draft whose lines and VAT totals are stored as `plan` priced them:
   * takes the next number of the series (inside this transaction, so a failed issue
   * consumes none), makes the KID, posts the journal entry and freezes the row. Returns the
   * issued row and its audit event, which the caller records in this transaction.
   */
  async function completeIssue(
    trx: Executor,
    ctx: CompanyContext,
    company: CompanyRow,
    row: InvoiceRow,
    plan: IssuePlan,
  ): Promise<{ issued: InvoiceRow; audit: AuditEvent }> {
    const { customer, settings } = plan;
    const isTest = Boolean(company.is_test_mode);
    const series = seriesFor('invoice', isTest, settings);
    const number = await takeNextNumber(trx, ctx.companyId, series);
    const documentNumber = documentNumberFor(series, number);
    let kid: string;
    try {
      kid = createKid(settings.kid, { customerNumber: customer.customer_number, invoiceNumber: number });
    } catch (error) {
      if (error instanceof KidTooLongError) {
        throw new AppError('invoice.kid_too_long', 'The invoice or customer number no longer fits the KID; widen the KID settings', { cause: error });
      }
      throw error;
    }
    const journalEntryId = await postJournal(trx, ctx, {
      kind: 'invoice',
      documentId: row.id,
      documentNumber,
      entryDate: plan.issueDate,
      isTest,
      customerId: customer.id,
      buyerName: customer.name,
      lines: plan.priced.lines.map((line) => ({ net_minor: line.net_minor, vat_code: line.vat_code, revenue_account: line.revenue_account ?? null })),
      totals: plan.priced.totals,
      isVatRegistered: plan.isVatRegistered,
      exchangeRateMicros: plan.rate,
      settings,
    });
    const now = clock.now().toISOString();
    const update = {
      ...buyerSnapshot(customer),
      ...totalsColumns(plan.priced.totals),
      state: 'issued' as const,
      is_test: (isTest ? 1 : 0) as InvoiceRow['is_test'],
      series,
      number,
      document_number: documentNumber,
      seller_json: JSON.stringify(sellerSnapshotOf(company)),
      issue_date: plan.issueDate,
      due_date: plan.dueDate,
      payment_terms_days: plan.terms,
      exchange_rate_micros: plan.rate,
      kid,
      journal_entry_id: journalEntryId,
      issued_at: now,
      updated_at: now,
    } satisfies InvoiceRowUpdate;
    await updateInvoice(trx, ctx.companyId, row.id, update);
    return {
      issued: { ...row, ...update },
      audit: {
        action: 'invoice.issued',
        entityType: 'invoice',
        entityId: row.id,
        details: { documentNumber, grossMinor: plan.priced.totals.grossTotalMinor, currency: row.currency },
      },
    };
  }

  /** A document built from rows in hand (written in this transaction), without reading them back. */
  function documentOf(
    row: InvoiceRow,
    lines: InvoiceLineRow[],
    vatTotals: InvoiceVatTotalRow[],
    company: CompanyRow,
    today?: string,
  ): InvoiceDocument {
    return invoiceRowToDocument(row, { lines, vatTotals, creditNotes: [], now: clock.now(), timeZone: company.time_zone, today });
  }

  return {
    async createDraft(ctx: CompanyContext, input: InvoiceCreateInput): Promise<InvoiceDocument> {
      return db.kysely.transaction().execute(async (trx) => {
        const company = await requireCompany(trx, ctx);
        const draft = await prepareDraft(trx, ctx, company, input);
        await writeDraft(trx, draft);
        await recordCompanyAudit(trx, deps, ctx, draftCreated(draft.row.id));
        return documentOf(draft.row, draft.lines, draft.vatTotals, company);
      });
    },

    /**
     * Creates a draft and issues it in ONE transaction ("save and issue"; `"issue": true`
     * on POST /invoices). The legal check runs before anything is written; when it fails
     * (`invoice.incomplete`, every missing item) or anything else does, nothing is left:
     * no draft, no number taken, no journal entry, no audit event. The audit log gets the
     * same two events as creating and then issuing.
     */
    async createAndIssueInvoice(ctx: CompanyContext, input: InvoiceCreateInput): Promise<InvoiceDocument> {
      return db.kysely.transaction().execute(async (trx) => {
        const company = await requireCompany(trx, ctx);
        const draft = await prepareDraft(trx, ctx, company, input);
        const plan = planIssue(company, draft.customer, draft.row, draft.lines);
        await writeDraft(trx, draft);
        const { issued, audit } = await completeIssue(trx, ctx, company, draft.row, plan);
        await recordCompanyAuditEvents(trx, deps, ctx, [draftCreated(draft.row.id), audit]);
        // Priced moments ago with the same company row: the plan's lines and VAT totals are the draft's.
        return documentOf(issued, draft.lines, draft.vatTotals, company, plan.today);
      });
    },

    async getInvoice(ctx: CompanyContext, id: string, kind?: 'invoice' | 'credit_note'): Promise<InvoiceDocument> {
      const row = await requireInvoice(db.kysely, ctx, id);
      if (kind && row.kind !== kind) throw new AppError('invoice.not_found', 'Not found');
      return loadDocument(db.kysely, ctx, row);
    },

    /** Edits a draft; an issued document answers invoice.not_draft (and the database would refuse anyway). */
    async updateDraft(ctx: CompanyContext, id: string, input: InvoiceUpdateInput): Promise<InvoiceDocument> {
      return db.kysely.transaction().execute(async (trx) => {
        const row = await requireInvoice(trx, ctx, id, true);
        if (row.state !== 'draft') {
          throw new AppError('invoice.not_draft', 'An issued document cannot be changed; issue a credit note instead');
        }
        const company = await requireCompany(trx, ctx);
        const update: InvoiceRowUpdate = { ...draftColumns(input), updated_at: clock.now().toISOString() };
        if (input.customerId !== undefined && input.customerId !== row.customer_id) {
          const customer = await requireCustomer(trx, ctx, input.customerId);
          if (customer.archived_at) {
            throw validationError([{ path: 'customerId', code: 'customer.archived', message: 'The customer is archived' }]);
          }
          Object.assign(update, buyerSnapshot(customer));
        }
        const currency = input.currency ?? row.currency;
        let rate: number;
        if (currency === 'NOK') rate = NOK_RATE;
        else if (input.exchangeRate !== undefined) rate = exchangeRateOf(currency, input.exchangeRate);
        else rate = currency === row.currency ? row.exchange_rate_micros : 0;
        update.currency = currency;
        update.exchange_rate_micros = rate;
        // Items and allowances/charges are replaced separately: the part not given is kept (and
        // re-priced, since a percentage allowance follows the items).
        let lineRows: NewLine[];
        if (input.lines === undefined && input.allowanceCharges === undefined) {
          lineRows = (await listInvoiceLines(trx, [id])).map((line) => ({ ...line }));
        } else {
          const stored = input.lines !== undefined && input.allowanceCharges !== undefined ? [] : await listInvoiceLines(trx, [id]);
          if (input.lines !== undefined) {
            lineRows = await resolveLines(
              trx,
              ctx,
              id,
              input.lines,
              input.allowanceCharges ?? stored.filter((line) => line.line_type !== 'item').map(allowanceChargeInputOf),
            );
          } else {
            const items = stored.filter((line) => line.line_type === 'item').map((line) => ({ ...line }));
            lineRows = [
              ...items,
              ...input.allowanceCharges!.map((choice, index) => allowanceChargeRow(ctx, id, items.length + index + 1, choice)),
            ];
          }
        }
        const priced = priceLines(lineRows, Boolean(company.is_vat_registered), update.exchange_rate_micros || NOK_RATE);
        Object.assign(update, totalsColumns(priced.totals));
        await updateInvoice(trx, ctx.companyId, id, update);
        await replaceInvoiceLines(trx, id, priced.lines);
        await replaceVatTotals(trx, id, vatTotalRows(id, ctx.companyId, priced.totals));
        await recordCompanyAudit(trx, deps, ctx, { action: 'invoice.draft_updated', entityType: 'invoice', entityId: id });
        return loadDocument(trx, ctx, await requireInvoice(trx, ctx, id), company.time_zone);
      });
    },

    async deleteDraft(ctx: CompanyContext, id: string): Promise<void> {
      await db.kysely.transaction().execute(async (trx) => {
        const row = await requireInvoice(trx, ctx, id, true);
        if (row.state !== 'draft') {
          throw new AppError('invoice.not_draft', 'An issued document is never deleted; issue a credit note instead');
        }
        await deleteInvoiceDraft(trx, ctx.companyId, id);
        await recordCompanyAudit(trx, deps, ctx, { action: 'invoice.draft_deleted', entityType: 'invoice', entityId: id });
      });
    },

    /**
     * Issues a draft in one transaction: legal check, next number of the series
     * (taken inside the transaction, so a failed issue consumes none), KID, due
     * date, frozen content, journal entry. Parallel calls are safe: on PostgreSQL
     * the draft row and the series row are locked until commit.
     */
    async issueInvoice(ctx: CompanyContext, id: string): Promise<InvoiceDocument> {
      return db.kysely.transaction().execute(async (trx) => {
        const row = await requireInvoice(trx, ctx, id, true);
        if (row.state !== 'draft') throw new AppError('invoice.not_draft', 'The invoice is issued already');
        const company = await requireCompany(trx, ctx);
        const customer = await findCustomer(trx, ctx.companyId, row.customer_id);
        const storedLines = await listInvoiceLines(trx, [id]);
        const plan = planIssue(company, customer, row, storedLines);
        // The draft's lines and VAT totals were priced when it was saved; they are rewritten
        // only when pricing them now gives another result (e.g. the VAT registration changed).
        const lines = plan.priced.lines;
        const linesChanged = lines.some(
          (line, index) =>
            line.vat_category !== storedLines[index]!.vat_category ||
            line.vat_rate_bp !== storedLines[index]!.vat_rate_bp ||
            line.net_minor !== storedLines[index]!.net_minor ||
            line.unit_price_micros !== storedLines[index]!.unit_price_micros ||
            line.base_minor !== storedLines[index]!.base_minor,
        );
        if (linesChanged) await replaceInvoiceLines(trx, id, lines);
        const vatRows = vatTotalRows(id, ctx.companyId, plan.priced.totals);
        const storedVat = await listVatTotals(trx, [id]);
        const vatChanged = !sameVatTotals(storedVat, vatRows);
        if (vatChanged) await replaceVatTotals(trx, id, vatRows);
        const { issued, audit } = await completeIssue(trx, ctx, company, row, plan);
        await recordCompanyAudit(trx, deps, ctx, audit);
        // Issued a moment ago under this transaction: what is stored now is in hand, and it has no credit notes yet.
        return documentOf(issued, linesChanged ? lines : storedLines, vatChanged ? vatRows : storedVat, company, plan.today);
      });
    },

    /**
     * Issues a credit note for an issued invoice: the whole remaining amount, or
     * chosen lines (by quantity or net amount). It refers to the invoice's number
     * and date, mirrors its journal entry and reduces its open amount.
     */
    async createCreditNote(ctx: CompanyContext, invoiceId: string, input: CreditNoteCreateInput): Promise<InvoiceDocument> {
      return db.kysely.transaction().execute(async (trx) => {
        const invoice = await requireInvoice(trx, ctx, invoiceId, true);
        if (invoice.kind !== 'invoice' || invoice.state !== 'issued') {
          throw new AppError('invoice.not_issued', 'Only an issued invoice can be credited');
        }
        const company = await requireCompany(trx, ctx);
        const settings = invoiceSettingsOf(company);
        const seller = JSON.parse(invoice.seller_json!) as SellerSnapshot;
        const originalLines = await listInvoiceLines(trx, [invoiceId]);
        const credited = await sumCreditedByLine(trx, invoiceId);
        const remainingOf = (line: InvoiceLineRow) => line.net_minor - (credited.get(line.id) ?? 0);
        const id = ids.newId();
        const issues: FieldIssue[] = [];
        const creditLines: NewLine[] = [];

        const pushLine = (original: InvoiceLineRow, quantityMicros: number, unitPriceMicros: number, discountBp: number) => {
          creditLines.push({
            id: ids.newId(),
            invoice_id: id,
            company_id: ctx.companyId,
            position: creditLines.length + 1,
            product_id: original.product_id,
            description: original.description,
            quantity_micros: quantityMicros,
            unit_code: original.unit_code,
            unit_price_micros: unitPriceMicros,
            discount_bp: discountBp,
            vat_code: original.vat_code,
            vat_category: original.vat_category,
            vat_rate_bp: original.vat_rate_bp,
            revenue_account: original.revenue_account,
            net_minor: 0,
            credited_line_id: original.id,
            // An allowance or charge stays one on the credit note, as an amount (its percentage
            // and base described the invoice's items, not what this note credits).
            line_type: original.line_type,
            reason_code: original.reason_code,
            percent_bp: null,
            base_minor: null,
          });
        };

        if (!input.lines) {
          // Nothing is owed any more (earlier credit notes took the whole amount, even if
          // positive and negative lines are left that cancel out): a full credit has nothing to do.
          if (invoice.payable_minor - invoice.credited_minor <= 0) {
            throw new AppError('credit_note.nothing_to_credit', 'The invoice is fully credited already');
          }
          for (const original of originalLines) {
            const remaining = remainingOf(original);
            if (remaining === 0) continue;
            if (remaining === original.net_minor) {
              pushLine(original, original.quantity_micros, original.unit_price_micros ?? 0, original.discount_bp);
            } else {
              // What is left of a partly credited line is credited as an amount.
              pushLine(original, Number(MICROS_PER_UNIT), remaining * 10_000, 0);
            }
          }
        } else {
          input.lines.forEach((choice, index) => {
            const original = originalLines.find((line) => line.id === choice.invoiceLineId);
            if (!original) {
              issues.push({ path: `lines.${index}.invoiceLineId`, code: 'invoice_line.not_found', message: 'Not a line of this invoice' });
              return;
            }
            if (choice.quantity !== undefined && choice.amount !== undefined) {
              issues.push({ path: `lines.${index}`, code: 'credit_line.ambiguous', message: 'Give quantity or amount, not both' });
              return;
            }
            if (choice.amount !== undefined) {
              const amountMicros = parseDecimalToMicros(choice.amount)!;
              // An allowance is credited by its size, given with or without the minus sign it carries.
              const signed = original.line_type === 'allowance' ? -Math.abs(amountMicros) : amountMicros;
              pushLine(original, Number(MICROS_PER_UNIT), signed, 0);
            } else if (choice.quantity !== undefined) {
              pushLine(original, parseDecimalToMicros(choice.quantity)!, original.unit_price_micros ?? 0, original.discount_bp);
            } else {
              const remaining = remainingOf(original);
              if (remaining === original.net_minor) {
                pushLine(original, original.quantity_micros, original.unit_price_micros ?? 0, original.discount_bp);
              } else {
                pushLine(original, Number(MICROS_PER_UNIT), remaining * 10_000, 0);
              }
            }
          });
        }
        if (issues.length > 0) throw validationError(issues);

        const rate = invoice.exchange_rate_micros || NOK_RATE;
        const priced = priceLines(creditLines, seller.isVatRegistered, rate);
        // Each credited line stays within what is left of it, with the same sign.
        const perLine = new Map<string, number>();
        priced.lines.forEach((line) => perLine.set(line.credited_line_id!, (perLine.get(line.credited_line_id!) ?? 0) + line.net_minor));
        for (const [lineId, amount] of perLine) {
          const original = originalLines.find((line) => line.id === lineId)!;
          const remaining = remainingOf(original);
          const ok = amount === 0 ? false : remaining >= 0 ? amount > 0 && amount <= remaining : amount < 0 && amount >= remaining;
          if (!ok) {
            issues.push({
              path: `lines.${(input.lines ?? []).findIndex((choice) => choice.invoiceLineId === lineId)}`,
              code: 'credit_note.exceeds_line',
              message: 'More than is left to credit on this line',
            });
          }
        }
        if (priced.lines.length === 0) {
          throw new AppError('credit_note.nothing_to_credit', 'The invoice is fully credited already');
        }
        if (issues.length > 0) throw validationError(issues);

        // A credit that empties the last lines of a VAT code settles that code exactly
        // (not only the one that empties every line: a code emptied by an earlier,
        // partial credit note would otherwise keep its rounding remainder for ever).
        const codeOf = (line: InvoiceLineRow) => effectiveVat(line.vat_code, seller.isVatRegistered).vatCode;
        const settledCodes = new Set(
          priced.totals.vatBreakdown
            .map((entry) => entry.vatCode)
            .filter((code) =>
              originalLines.every((line) => codeOf(line) !== code || remainingOf(line) === (perLine.get(line.id) ?? 0)),
            ),
        );
        let totals = priced.totals;
        if (settledCodes.size > 0) {
          const invoiceVat = await listVatTotals(trx, [invoiceId]);
          const previous = await listVatTotals(
            trx,
            (await listCreditNotesFor(trx, ctx.companyId, invoiceId)).map((note) => note.id),
          );
          const remaining = new Map(
            invoiceVat.filter((entry) => settledCodes.has(entry.vat_code)).map((entry) => {
              const before = previous.filter((prior) => prior.vat_code === entry.vat_code);
              const used = (pick: (row: (typeof before)[number]) => number) => before.reduce((total, row) => total + pick(row), 0);
              return [
                entry.vat_code,
                {
                  taxableMinor: entry.taxable_minor - used((row) => row.taxable_minor),
                  vatMinor: entry.vat_minor - used((row) => row.vat_minor),
                  taxableNokMinor: entry.taxable_nok_minor - used((row) => row.taxable_nok_minor),
                  vatNokMinor: entry.vat_nok_minor - used((row) => row.vat_nok_minor),
                },
              ];
            }),
          );
          totals = finalCreditTotals(priced.totals, remaining);
        }
        if (totals.grossTotalMinor <= 0) {
          // Crediting only a deduction line would raise what the buyer owes: that is a new invoice, not a credit.
          throw new AppError('credit_note.not_positive', 'A credit note must reduce what is owed; its total must be above zero');
        }
        if (totals.grossTotalMinor > invoice.payable_minor - invoice.credited_minor) {
          throw new AppError('credit_note.exceeds_invoice', 'The credit note would exceed what is left of the invoice');
        }

        const today = calendarDateIn(clock.now(), company.time_zone);
        const isTest = Boolean(invoice.is_test);
        const series = seriesFor('credit_note', isTest, settings);
        const now = clock.now().toISOString();
        await insertInvoice(trx, {
          ...invoice,
          id,
          kind: 'credit_note',
          state: 'draft',
          series: null,
          number: null,
          document_number: null,
          issue_date: today,
          due_date: null,
          payment_terms_days: null,
          kid: null,
          ...totalsColumns(totals),
          credited_invoice_id: invoice.id,
          credited_invoice_number: invoice.document_number,
          credited_invoice_date: invoice.issue_date,
          credit_reason: input.reason ?? null,
          journal_entry_id: null,
          issued_at: null,
          sent_at: null,
          paid_minor: 0,
          credited_minor: 0,
          created_at: now,
          updated_at: now,
        });
        await replaceInvoiceLines(trx, id, priced.lines);
        await replaceVatTotals(trx, id, vatTotalRows(id, ctx.companyId, totals));
        const number = await takeNextNumber(trx, ctx.companyId, series);
        const documentNumber = documentNumberFor(series, number);
        const journalEntryId = await postJournal(trx, ctx, {
          kind: 'credit_note',
          documentId: id,
          documentNumber,
          entryDate: today,
          isTest,
          customerId: invoice.customer_id,
          buyerName: invoice.buyer_name,
          lines: priced.lines.map((line) => ({ net_minor: line.net_minor, vat_code: line.vat_code, revenue_account: line.revenue_account ?? null })),
          totals,
          isVatRegistered: seller.isVatRegistered,
          exchangeRateMicros: rate,
          settings,
        });
        await updateInvoice(trx, ctx.companyId, id, {
          state: 'issued',
          series,
          number,
          document_number: documentNumber,
          journal_entry_id: journalEntryId,
          issued_at: now,
          updated_at: now,
        });
        await updateInvoice(trx, ctx.companyId, invoiceId, {
          credited_minor: invoice.credited_minor + totals.grossTotalMinor,
          updated_at: now,
        });
        // Paid and now credited beyond what is payable: the surplus is the customer's credit again.
        await releaseCreditedSurplus(trx, deps, ctx, { ...invoice, credited_minor: invoice.credited_minor + totals.grossTotalMinor }, { id, documentNumber });
        await recordCompanyAudit(trx, deps, ctx, {
          action: 'credit_note.issued',
          entityType: 'invoice',
          entityId: id,
          details: { documentNumber, creditedInvoice: invoice.document_number, grossMinor: totals.grossTotalMinor },
        });
        return loadDocument(trx, ctx, await requireInvoice(trx, ctx, id), company.time_zone);
      });
    },

    /** Records that the document went out by other means (printed and posted, handed over). */
    async markSent(ctx: CompanyContext, id: string): Promise<InvoiceDocument> {
      return db.kysely.transaction().execute(async (trx) => {
        const row = await requireInvoice(trx, ctx, id, true);
        if (row.state !== 'issued') throw new AppError('invoice.not_issued', 'Only an issued document can be sent');
        if (row.sent_at === null) {
          const now = clock.now().toISOString();
          await updateInvoice(trx, ctx.companyId, id, { sent_at: now, updated_at: now });
          await recordCompanyAudit(trx, deps, ctx, { action: 'invoice.marked_sent', entityType: 'invoice', entityId: id });
        }
        return loadDocument(trx, ctx, await requireInvoice(trx, ctx, id));
      });
    },

    async listInvoices(
      ctx: CompanyContext,
      kind: 'invoice' | 'credit_note',
      query: InvoiceListQueryInput,
    ): Promise<Page<InvoiceDocument> & { totals: { count: number; grossMinorByCurrency: Record<string, number>; openMinorByCurrency: Record<string, number> } }> {
      const company = await requireCompany(db.kysely, ctx);
      const sortKey = `${kind}:id`;
      const rows = await listInvoices(db.kysely, {
        companyId: ctx.companyId,
        kind,
        status: query.status,
        customerId: query.customerId,
        issuedFrom: query.from,
        issuedTo: query.to,
        overdueOn: query.overdue === 'true' ? calendarDateIn(clock.now(), company.time_zone) : undefined,
        isTest: query.test === undefined ? undefined : query.test === 'true',
        searchPattern: query.q ? likeContains(query.q) : undefined,
        beforeId: query.cursor ? decodeCursor(sortKey, query.cursor)[1] : undefined,
        limit: query.limit + 1,
      });
      const pageRows = rows.slice(0, query.limit);
      const ids = pageRows.map((row) => row.id);
      const [lines, vatTotals] = await Promise.all([listInvoiceLines(db.kysely, ids), listVatTotals(db.kysely, ids)]);
      const now = clock.now();
      const page = toPage(rows, query.limit, sortKey, (row) => [row.id, row.id], (row) =>
        invoiceRowToDocument(row, {
          lines: lines.filter((line) => line.invoice_id === row.id),
          vatTotals: vatTotals.filter((entry) => entry.invoice_id === row.id),
          creditNotes: [],
          now,
          timeZone: company.time_zone,
        }),
      );
      const grossMinorByCurrency: Record<string, number> = {};
      const openMinorByCurrency: Record<string, number> = {};
      for (const item of page.items) {
        grossMinorByCurrency[item.currency] = (grossMinorByCurrency[item.currency] ?? 0) + item.totals.grossMinor;
        openMinorByCurrency[item.currency] = (openMinorByCurrency[item.currency] ?? 0) + item.openMinor;
      }
      return { ...page, totals: { count: page.items.length, grossMinorByCurrency, openMinorByCurrency } };
    },
  };
}

export type InvoiceService = ReturnType<typeof createInvoiceService>;
