import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode, type RefObject } from 'react';
import { ApiError, type FieldIssue } from '../api/client';
import { api } from '../api/endpoints';
import type {
  Address,
  AllowanceChargeInput,
  Company,
  Customer,
  Invoice,
  InvoiceDraftInput,
  InvoiceLineInput,
  Product,
  ReferenceData,
} from '../api/types';
import { AddressFields, addressToDraft, draftToAddress, EMPTY_ADDRESS, type AddressDraft } from '../components/address-fields';
import { DateField } from '../components/date-field';
import { CheckboxField, RadioGroup, SelectField, TextAreaField, TextField } from '../components/fields';
import { SearchPicker } from '../components/search-picker';
import { Alert, Button, ConfirmAction, notify } from '../components/ui';
import { VatSummary, type SummaryAllowanceCharge } from '../components/vat-summary';
import {
  dateToInput,
  decimalToInput,
  formatDecimal,
  formatInteger,
  formatMinor,
  formatOrgNumber,
  inputToDate,
  inputToDecimal,
  minorToDecimal,
} from '../format';
import {
  allowanceChargeAmounts,
  allowanceChargeNet,
  computeTotals,
  lineNetMinor,
  NOK_RATE_MICROS,
  parseMicros,
  type LiveLine,
} from '../invoice-math';
import { fieldErrorText, fill, problemText, useI18n, type Messages } from '../i18n';
import { Link, navigate } from '../router';
import { useCan } from '../session';
import { orNull } from '../text';

// ---------------------------------------------------------------- draft model

interface LineDraft {
  key: string;
  productId: string | null;
  /** Shown beside a product line; unknown (null) for lines loaded from the API. */
  productNumber: string | null;
  description: string;
  quantity: string;
  unitCode: string;
  unitPrice: string;
  discountPercent: string;
  vatCode: string;
  /** Kept as loaded so a save does not drop an account set through the API; undefined = the product's or the default. */
  revenueAccount?: string | null | undefined;
}

/** A document-level allowance (rabatt) or charge (tillegg) as typed. */
interface AllowanceChargeDraft {
  key: string;
  type: 'allowance' | 'charge';
  reason: string;
  /** '' for none. */
  reasonCode: string;
  mode: 'amount' | 'percent';
  /** Kept apart, so switching between kr and % does not lose what was typed. */
  amount: string;
  percent: string;
  vatCode: string;
  /** Kept as loaded so a save does not drop an account set through the API. */
  revenueAccount?: string | null | undefined;
}

interface CustomerRef {
  id: string;
  name: string;
  customerNumber: number;
  orgNumber: string | null;
  address: Address;
  deliveryAddress: Address | null;
  paymentTermsDays: number | null;
  /** False while only the invoice's snapshot of the customer is known (before the customer is fetched). */
  loaded: boolean;
}

interface Draft {
  customer: CustomerRef | null;
  issueDate: string;
  deliveryMode: 'date' | 'period';
  deliveryDate: string;
  periodStart: string;
  periodEnd: string;
  dueMode: 'terms' | 'date';
  paymentTermsDays: string;
  dueDate: string;
  buyerReference: string;
  orderReference: string;
  ourReference: string;
  freeText: string;
  currency: string;
  exchangeRate: string;
  hasDeliveryAddress: boolean;
  deliveryAddress: AddressDraft;
  lines: LineDraft[];
  allowanceCharges: AllowanceChargeDraft[];
}

const CURRENCIES = ['NOK', 'EUR', 'USD', 'SEK', 'DKK', 'GBP', 'CHF', 'PLN'];

let lineSeed = 0;
function newLineKey(): string {
  lineSeed += 1;
  return `new-${lineSeed}`;
}

function emptyLine(): LineDraft {
  return {
    key: newLineKey(),
    productId: null,
    productNumber: null,
    description: '',
    quantity: '1',
    unitCode: 'C62',
    unitPrice: '',
    discountPercent: '',
    vatCode: '3',
  };
}

function emptyAllowanceCharge(type: 'allowance' | 'charge'): AllowanceChargeDraft {
  return { key: newLineKey(), type, reason: '', reasonCode: '', mode: type === 'allowance' ? 'percent' : 'amount', amount: '', percent: '', vatCode: '3' };
}

function emptyDraft(): Draft {
  return {
    customer: null,
    issueDate: '',
    deliveryMode: 'date',
    deliveryDate: '',
    periodStart: '',
    periodEnd: '',
    dueMode: 'terms',
    paymentTermsDays: '',
    dueDate: '',
    buyerReference: '',
    orderReference: '',
    ourReference: '',
    freeText: '',
    currency: 'NOK',
    exchangeRate: '',
    hasDeliveryAddress: false,
    deliveryAddress: EMPTY_ADDRESS,
    lines: [emptyLine()],
    allowanceCharges: [],
  };
}

function customerRef(customer: Customer): CustomerRef {
  return {
    id: customer.id,
    name: customer.name,
    customerNumber: customer.customerNumber,
    orgNumber: customer.orgNumber,
    address: customer.address,
    deliveryAddress: customer.deliveryAddress,
    paymentTermsDays: customer.paymentTermsDays,
    loaded: true,
  };
}

function toDraft(doc: Invoice, previous: Draft | null): Draft {
  return {
    customer:
      previous?.customer && previous.customer.id === doc.customerId
        ? previous.customer
        : {
            id: doc.customerId,
            name: doc.buyer.name,
            customerNumber: doc.customerNumber,
            orgNumber: doc.buyer.orgNumber,
            address: doc.buyer.address,
            deliveryAddress: null,
            paymentTermsDays: null,
            loaded: false,
          },
    issueDate: dateToInput(doc.issueDate),
    deliveryMode: doc.deliveryPeriod ? 'period' : 'date',
    deliveryDate: dateToInput(doc.deliveryDate),
    periodStart: dateToInput(doc.deliveryPeriod?.start),
    periodEnd: dateToInput(doc.deliveryPeriod?.end),
    dueMode: doc.dueDate ? 'date' : 'terms',
    paymentTermsDays: doc.paymentTermsDays === null ? '' : String(doc.paymentTermsDays),
    dueDate: dateToInput(doc.dueDate),
    buyerReference: doc.buyerReference ?? '',
    orderReference: doc.orderReference ?? '',
    ourReference: doc.ourReference ?? '',
    freeText: doc.freeText ?? '',
    currency: doc.currency,
    exchangeRate: doc.exchangeRate ? decimalToInput(doc.exchangeRate) : '',
    hasDeliveryAddress: doc.deliveryAddress !== null,
    deliveryAddress: addressToDraft(doc.deliveryAddress),
    lines: doc.lines.map((line, index) => {
      const before = previous?.lines[index];
      return {
        key: line.id,
        productId: line.productId,
        productNumber: before && before.productId === line.productId ? before.productNumber : null,
        description: line.description ?? '',
        quantity: decimalToInput(line.quantity),
        unitCode: line.unitCode,
        unitPrice: line.unitPrice === null ? '' : decimalToInput(line.unitPrice),
        discountPercent: line.discountPercent === '0' ? '' : decimalToInput(line.discountPercent),
        vatCode: line.vatCode,
        revenueAccount: line.revenueAccount,
      };
    }),
    allowanceCharges: doc.allowanceCharges.map((entry) => ({
      key: entry.id,
      type: entry.type,
      reason: entry.reason ?? '',
      reasonCode: entry.reasonCode ?? '',
      mode: entry.percent !== null ? 'percent' : 'amount',
      amount: entry.percent !== null ? '' : decimalToInput(minorToDecimal(entry.amountMinor)),
      percent: entry.percent !== null ? decimalToInput(entry.percent) : '',
      vatCode: entry.vatCode,
      revenueAccount: entry.revenueAccount,
    })),
  };
}

/** The request body, or the problems found before sending (keyed by the API's paths). */
function buildInput(draft: Draft, t: Messages): { input: InvoiceDraftInput | null; local: FieldIssue[] } {
  const f = t.invoiceForm;
  const local: FieldIssue[] = [];
  const date = (path: string, text: string): string | null => {
    const iso = inputToDate(text);
    if (iso === undefined) {
      local.push({ path, code: 'date.invalid', message: f.invalidDate });
      return null;
    }
    return iso;
  };
  if (!draft.customer) local.push({ path: 'customerId', code: 'required', message: f.chooseCustomer });
  const issueDate = date('issueDate', draft.issueDate);
  let deliveryDate: string | null = null;
  let deliveryPeriod: { start: string; end: string } | null = null;
  if (draft.deliveryMode === 'date') {
    deliveryDate = date('deliveryDate', draft.deliveryDate);
  } else {
    const start = date('deliveryPeriod.start', draft.periodStart);
    const end = date('deliveryPeriod.end', draft.periodEnd);
    if (start && end) deliveryPeriod = { start, end };
    else if ((start && !draft.periodEnd.trim()) || (end && !draft.periodStart.trim())) {
      local.push({ path: start ? 'deliveryPeriod.end' : 'deliveryPeriod.start', code: 'required', message: f.periodIncomplete });
    }
  }
  let dueDate: string | null = null;
  let paymentTermsDays: number | null = null;
  if (draft.dueMode === 'date') {
    dueDate = date('dueDate', draft.dueDate);
  } else if (draft.paymentTermsDays.trim() !== '') {
    const days = draft.paymentTermsDays.trim();
    if (!/^\d{1,3}$/.test(days) || Number(days) > 365) {
      local.push({ path: 'paymentTermsDays', code: 'invalid_type', message: t.errors.fields['paymentTermsDays.invalid_type'] ?? '' });
    } else {
      paymentTermsDays = Number(days);
    }
  }
  draft.allowanceCharges.forEach((entry, index) => {
    if (entry.mode === 'amount' && entry.amount.trim() === '') {
      local.push({ path: `allowanceCharges.${index}.amount`, code: 'required', message: t.allowances.amountRequired });
    } else if (entry.mode === 'percent' && entry.percent.trim() === '') {
      local.push({ path: `allowanceCharges.${index}.percent`, code: 'required', message: t.allowances.percentRequired });
    }
  });
  if (local.length > 0 || !draft.customer) return { input: null, local };
  const currency = draft.currency.trim().toUpperCase() || 'NOK';
  const lines: InvoiceLineInput[] = draft.lines.map((line) => ({
    productId: line.productId,
    description: orNull(line.description),
    quantity: inputToDecimal(line.quantity) || '0',
    unitCode: line.unitCode,
    unitPrice: inputToDecimal(line.unitPrice) || null,
    discountPercent: line.discountPercent.trim() || '0',
    vatCode: line.vatCode,
    ...(line.revenueAccount !== undefined ? { revenueAccount: line.revenueAccount } : {}),
  }));
  // Sent with every save: the list as shown replaces the stored one (an empty list removes them all).
  const allowanceCharges: AllowanceChargeInput[] = draft.allowanceCharges.map((entry) => ({
    type: entry.type,
    reason: entry.reason,
    reasonCode: orNull(entry.reasonCode),
    ...(entry.mode === 'amount' ? { amount: inputToDecimal(entry.amount) } : { percent: inputToDecimal(entry.percent) }),
    vatCode: entry.vatCode,
    ...(entry.revenueAccount !== undefined ? { revenueAccount: entry.revenueAccount } : {}),
  }));
  return {
    local,
    input: {
      customerId: draft.customer.id,
      issueDate,
      deliveryDate,
      deliveryPeriod,
      deliveryAddress: draft.hasDeliveryAddress ? draftToAddress(draft.deliveryAddress) : null,
      dueDate,
      paymentTermsDays,
      buyerReference: orNull(draft.buyerReference),
      orderReference: orNull(draft.orderReference),
      ourReference: orNull(draft.ourReference),
      freeText: orNull(draft.freeText),
      currency,
      exchangeRate: currency === 'NOK' ? null : inputToDecimal(draft.exchangeRate) || null,
      lines,
      allowanceCharges,
    },
  };
}

// ---------------------------------------------------------------- error placement

const LINE_PATH = /^lines\.(\d+)\.(\w+)/;
const LINE_FIELDS: Record<string, string> = {
  description: 'description',
  quantity: 'quantity',
  unitCode: 'unit',
  unitPrice: 'unitPrice',
  discountPercent: 'discount',
  vatCode: 'vatCode',
  productId: 'product',
  revenueAccount: 'description',
};

const ALLOWANCE_PATH = /^allowanceCharges\.(\d+)\.(\w+)/;
const ALLOWANCE_FIELDS: Record<string, string> = {
  type: 'type',
  reason: 'reason',
  reasonCode: 'reasonCode',
  amount: 'value',
  percent: 'value',
  vatCode: 'vatCode',
  revenueAccount: 'reason',
};

/** Which input on the form an issue belongs to (its element id), or null for none (seller issues). */
function fieldIdFor(path: string, draft: Draft): string | null {
  const line = LINE_PATH.exec(path);
  if (line) return `invoice-line-${line[1]}-${LINE_FIELDS[line[2]!] ?? 'description'}`;
  if (path === 'lines' || /^lines\.\d+$/.test(path)) return 'invoice-add-line';
  const allowance = ALLOWANCE_PATH.exec(path);
  if (allowance) return `invoice-allowance-${allowance[1]}-${ALLOWANCE_FIELDS[allowance[2]!] ?? 'reason'}`;
  if (path === 'allowanceCharges' || /^allowanceCharges\.\d+$/.test(path)) return 'invoice-add-allowance';
  if (path === 'customerId' || path.startsWith('buyer.')) return 'invoice-customer';
  if (path.startsWith('seller.') || path === 'creditedInvoice') return null;
  if (path.startsWith('deliveryAddress.')) return null;
  switch (path) {
    case 'issueDate':
      return 'invoice-issueDate';
    case 'deliveryDate':
      return draft.deliveryMode === 'date' ? 'invoice-deliveryDate' : 'invoice-periodStart';
    case 'deliveryPeriod.start':
      return 'invoice-periodStart';
    case 'deliveryPeriod':
    case 'deliveryPeriod.end':
      return draft.deliveryMode === 'period' ? 'invoice-periodEnd' : 'invoice-deliveryDate';
    case 'dueDate':
      return draft.dueMode === 'date' ? 'invoice-dueDate' : 'invoice-paymentTerms';
    case 'paymentTermsDays':
      return 'invoice-paymentTerms';
    case 'exchangeRate':
      return 'invoice-exchangeRate';
    case 'currency':
      return 'invoice-currency';
    case 'buyerReference':
    case 'orderReference':
    case 'ourReference':
    case 'freeText':
      return `invoice-${path}`;
    default:
      return null;
  }
}

const SHOWN_PATHS = new Set([
  'lines',
  'customerId',
  'buyer.name',
  'buyer.address',
  'buyer.orgNumber',
  'issueDate',
  'deliveryDate',
  'deliveryPeriod',
  'dueDate',
  'paymentTermsDays',
  'currency',
  'buyerReference',
  'orderReference',
  'ourReference',
  'freeText',
  'deliveryAddress',
]);

/** Whether the form shows an issue beside a field (others are listed over the form). */
function isShownBesideField(path: string, draft: Draft): boolean {
  if (/^lines\.\d+\.(description|quantity|unitCode|unitPrice|discountPercent|vatCode|productId)$/.test(path)) return true;
  if (/^allowanceCharges\.\d+\.(type|reason|reasonCode|amount|percent|vatCode)$/.test(path)) return true;
  if (path === 'deliveryPeriod.start' || path === 'deliveryPeriod.end') return draft.deliveryMode === 'period';
  if (path === 'exchangeRate') return draft.currency !== 'NOK';
  if (path.startsWith('deliveryAddress.')) return draft.hasDeliveryAddress;
  return SHOWN_PATHS.has(path);
}

function focusField(id: string) {
  const element = document.getElementById(id);
  if (!element) return;
  element.scrollIntoView({ block: 'center' });
  element.focus();
}

export function issueText(t: Messages, issue: FieldIssue): string {
  const text = t.invoiceIssues[issue.code] ?? issue.message;
  const line = LINE_PATH.exec(issue.path);
  if (line) return fill(t.invoiceIssues.linePrefix ?? '{text}', { n: Number(line[1]) + 1, text });
  const allowance = ALLOWANCE_PATH.exec(issue.path);
  return allowance ? fill(t.allowances.issuePrefix, { n: Number(allowance[1]) + 1, text }) : text;
}

// ---------------------------------------------------------------- the editor

export interface InvoiceEditorProps {
  /** The saved draft, or null for a new invoice. */
  initial: Invoice | null;
  company: Company;
  reference: ReferenceData;
  /** A failed issue to show at once (after a new invoice was created and issuing it failed). */
  initialIssueError?: unknown;
  /** A new invoice was created (and possibly issued, or refused issue with `issueError`). */
  onCreated(doc: Invoice, issueError: unknown): void;
  /** The draft was issued. */
  onIssued(doc: Invoice): void;
}

export function InvoiceEditor({ initial, company, reference, initialIssueError, onCreated, onIssued }: InvoiceEditorProps) {
  const { t, language } = useI18n();
  const canWrite = useCan('invoices.write');
  const canIssue = useCan('invoices.issue');
  const readOnly = !canWrite;
  const f = t.invoiceForm;
  const [saved, setSaved] = useState<Invoice | null>(initial);
  const [draft, setDraft] = useState<Draft>(() => (initial ? toDraft(initial, null) : emptyDraft()));
  const [dirty, setDirty] = useState(initial === null);
  const [busy, setBusy] = useState<null | 'save' | 'issue' | 'delete'>(null);
  const [local, setLocal] = useState<FieldIssue[]>([]);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [issueError, setIssueError] = useState<unknown>(initialIssueError ?? null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const formRef = useRef<HTMLFormElement>(null);

  // The customer as it is now (payment terms for the hint, delivery address to copy).
  const customerToFetch = draft.customer && !draft.customer.loaded ? draft.customer.id : null;
  useEffect(() => {
    if (!customerToFetch) return;
    let live = true;
    api.customer(customerToFetch).then(
      (customer) => {
        if (live) setDraft((d) => (d.customer?.id === customer.id ? { ...d, customer: customerRef(customer) } : d));
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [customerToFetch]);

  // Lines loaded from the API know their product only by id: fetch the numbers to show.
  const unnamedProducts = [...new Set(draft.lines.filter((line) => line.productId && !line.productNumber).map((line) => line.productId!))].join(',');
  useEffect(() => {
    if (!unnamedProducts) return;
    let live = true;
    Promise.all(
      unnamedProducts.split(',').map((id) =>
        api.product(id).then(
          (product) => [id, product.productNumber] as const,
          () => null,
        ),
      ),
    ).then((found) => {
      if (!live) return;
      const numbers = new Map(found.filter((entry) => entry !== null));
      setDraft((d) => ({
        ...d,
        lines: d.lines.map((line) =>
          line.productId && !line.productNumber && numbers.has(line.productId) ? { ...line, productNumber: numbers.get(line.productId)! } : line,
        ),
      }));
    });
    return () => {
      live = false;
    };
  }, [unnamedProducts]);

  // Focus lands on the problem list after a refused issue or save, so it is read out and in view;
  // problems found before sending focus their first field.
  useEffect(() => {
    if (issueError || saveError) summaryRef.current?.focus();
  }, [issueError, saveError]);
  useEffect(() => {
    if (local.length > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [local]);

  function update(change: (d: Draft) => Draft) {
    setDraft(change);
    setDirty(true);
  }
  const set = <K extends keyof Draft>(key: K) => (value: Draft[K]) => update((d) => ({ ...d, [key]: value }));
  const setLine = (index: number, change: Partial<LineDraft>) =>
    update((d) => ({ ...d, lines: d.lines.map((line, i) => (i === index ? { ...line, ...change } : line)) }));
  const setAllowanceCharge = (index: number, change: Partial<AllowanceChargeDraft>) =>
    update((d) => ({ ...d, allowanceCharges: d.allowanceCharges.map((entry, i) => (i === index ? { ...entry, ...change } : entry)) }));
  function addAllowanceCharge(type: 'allowance' | 'charge') {
    update((d) => ({ ...d, allowanceCharges: [...d.allowanceCharges, emptyAllowanceCharge(type)] }));
    window.setTimeout(() => {
      const inputs = formRef.current?.querySelectorAll<HTMLInputElement>('.allowance-line input[data-field="reason"]');
      inputs?.[inputs.length - 1]?.focus();
    }, 0);
  }

  // ---- errors beside fields
  const issues: FieldIssue[] = useMemo(
    () => (issueError instanceof ApiError && issueError.code === 'invoice.incomplete' ? issueError.fieldErrors : []),
    [issueError],
  );
  const messages = useMemo(() => {
    const map = new Map<string, string[]>();
    const add = (path: string, text: string) => map.set(path, [...(map.get(path) ?? []), text]);
    for (const issue of local) add(issue.path, issue.message);
    if (saveError instanceof ApiError) for (const issue of saveError.fieldErrors) add(issue.path, fieldErrorText(t, issue));
    for (const issue of issues) add(issue.path, t.invoiceIssues[issue.code] ?? issue.message);
    return map;
  }, [local, saveError, issues, t]);
  const err = (...paths: string[]): string | undefined => {
    const texts = paths.flatMap((path) => messages.get(path) ?? []);
    return texts.length > 0 ? texts.join(' ') : undefined;
  };

  // ---- figures: live while editing, the server's once saved
  const exchangeRateMicros =
    draft.currency === 'NOK' ? NOK_RATE_MICROS : Number(parseMicros(draft.exchangeRate) ?? 0n) || NOK_RATE_MICROS;
  const liveNets = draft.lines.map((line) => lineNetMinor(line.quantity, line.unitPrice, line.discountPercent));
  const liveItems: LiveLine[] = draft.lines.map((line, index) => ({ netMinor: liveNets[index] ?? null, vatCode: line.vatCode }));
  // Allowances and charges: a percentage is resolved against the item lines of its VAT code, as the server does.
  const liveAllowanceNets = allowanceChargeAmounts(
    liveItems,
    draft.allowanceCharges.map((entry) => ({
      type: entry.type,
      mode: entry.mode,
      value: entry.mode === 'amount' ? entry.amount : entry.percent,
      vatCode: entry.vatCode,
    })),
    { vatCodes: reference.vatCodes, isVatRegistered: company.isVatRegistered },
  ).map((amount, index) => allowanceChargeNet(draft.allowanceCharges[index]!.type, amount));
  const live = computeTotals(
    [
      ...liveItems,
      ...draft.allowanceCharges.map((entry, index) => ({ netMinor: liveAllowanceNets[index] ?? null, vatCode: entry.vatCode, type: entry.type })),
    ],
    { vatCodes: reference.vatCodes, isVatRegistered: company.isVatRegistered, exchangeRateMicros },
  );
  const useServer = saved !== null && !dirty;
  const figures = useServer ? { vatBreakdown: saved.vatBreakdown, totals: saved.totals } : live;
  const lineNet = (index: number): number | null => (useServer ? (saved.lines[index]?.netMinor ?? null) : (liveNets[index] ?? null));
  const allowanceNet = (index: number): number | null =>
    useServer ? (saved.allowanceCharges[index]?.netMinor ?? null) : (liveAllowanceNets[index] ?? null);
  const summaryAllowanceCharges: SummaryAllowanceCharge[] = useServer
    ? saved.allowanceCharges.map((entry) => ({ key: entry.id, type: entry.type, reason: entry.reason, percent: entry.percent, netMinor: entry.netMinor }))
    : draft.allowanceCharges.map((entry, index) => ({
        key: entry.key,
        type: entry.type,
        reason: entry.reason.trim() || null,
        percent: entry.mode === 'percent' && entry.percent.trim() ? inputToDecimal(entry.percent) : null,
        netMinor: liveAllowanceNets[index] ?? null,
      }));

  // ---- actions
  async function save(options: { forIssue: boolean }): Promise<Invoice | null> {
    const built = buildInput(draft, t);
    setLocal(built.local);
    if (!built.input) {
      setSaveError(null);
      setIssueError(null);
      return null;
    }
    try {
      const doc = saved ? await api.updateInvoice(saved.id, built.input) : await api.createInvoice(built.input);
      setSaveError(null);
      setSaved(doc);
      setDraft((d) => toDraft(doc, d));
      setDirty(false);
      if (!options.forIssue) {
        setIssueError(null);
        if (!saved) {
          notify(f.created);
          onCreated(doc, null);
        } else {
          notify(f.saved);
        }
      }
      return doc;
    } catch (error) {
      setSaveError(error);
      setIssueError(null);
      return null;
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy || readOnly) return;
    setBusy('save');
    try {
      await save({ forIssue: false });
    } finally {
      setBusy(null);
    }
  }

  async function issue() {
    if (busy) return;
    setBusy('issue');
    try {
      const wasNew = saved === null;
      const doc = !saved || dirty ? await save({ forIssue: true }) : saved;
      if (!doc) return;
      try {
        const issued = await api.issueInvoice(doc.id);
        notify(fill(f.issued, { number: issued.documentNumber ?? '' }));
        if (wasNew) onCreated(issued, null);
        else onIssued(issued);
      } catch (error) {
        if (wasNew) {
          onCreated(doc, error);
          return;
        }
        setSaveError(null);
        setIssueError(error);
      }
    } finally {
      setBusy(null);
    }
  }

  async function remove() {
    if (!saved) return;
    setBusy('delete');
    try {
      await api.deleteInvoice(saved.id);
      notify(f.deleted);
      navigate('/invoices');
    } catch (error) {
      setSaveError(error);
      setBusy(null);
    }
  }

  // ---- rendering helpers
  const vatOptions = reference.vatCodes.map((vat) => ({
    value: vat.code,
    label: `${vat.code} – ${language === 'en' ? vat.descriptionEn : vat.descriptionNb}`,
  }));
  const unitOptions = reference.units.map((unit) => ({ value: unit.code, label: language === 'en' ? unit.labelEn : unit.labelNb }));
  const currencyOptions = (CURRENCIES.includes(draft.currency) ? CURRENCIES : [...CURRENCIES, draft.currency]).map((code) => ({
    value: code,
    label: code,
  }));
  const defaultTerms = draft.customer?.paymentTermsDays ?? company.paymentTermsDays;

  const fields = (
    <>
      <fieldset className="form-section" disabled={readOnly}>
        <legend className="form-section__title">{f.customerSection}</legend>
        <CustomerBlock
          customer={draft.customer}
          readOnly={readOnly}
          error={err('customerId', 'buyer.name', 'buyer.address', 'buyer.orgNumber')}
          onPick={(customer) => update((d) => ({ ...d, customer: customerRef(customer) }))}
          onClear={() => update((d) => ({ ...d, customer: null }))}
        />
      </fieldset>

      <fieldset className="form-section" disabled={readOnly}>
        <legend className="form-section__title">{f.datesSection}</legend>
        <div className="grid grid--3">
          <DateField
            id="invoice-issueDate"
            label={f.issueDate}
            value={draft.issueDate}
            onChange={set('issueDate')}
            placeholder={f.issueDatePlaceholder}
            hint={f.issueDateHint}
            error={err('issueDate')}
          />
        </div>
        <RadioGroup
          legend={f.delivery}
          name="delivery"
          value={draft.deliveryMode}
          onChange={(value) => set('deliveryMode')(value === 'period' ? 'period' : 'date')}
          options={[
            { value: 'date', label: f.deliveryDateOption },
            { value: 'period', label: f.deliveryPeriodOption },
          ]}
        />
        {draft.deliveryMode === 'date' ? (
          <div className="grid grid--3">
            <DateField id="invoice-deliveryDate" label={f.deliveryDate} value={draft.deliveryDate} onChange={set('deliveryDate')} error={err('deliveryDate', 'deliveryPeriod')} />
          </div>
        ) : (
          <div className="grid grid--3">
            <DateField id="invoice-periodStart" label={f.periodStart} value={draft.periodStart} onChange={set('periodStart')} error={err('deliveryPeriod.start', 'deliveryDate')} />
            <DateField id="invoice-periodEnd" label={f.periodEnd} value={draft.periodEnd} onChange={set('periodEnd')} error={err('deliveryPeriod.end', 'deliveryPeriod')} />
          </div>
        )}
        <RadioGroup
          legend={f.due}
          name="due"
          value={draft.dueMode}
          onChange={(value) => set('dueMode')(value === 'date' ? 'date' : 'terms')}
          options={[
            { value: 'terms', label: f.dueTermsOption },
            { value: 'date', label: f.dueDateOption },
          ]}
        />
        <div className="grid grid--3">
          {draft.dueMode === 'terms' ? (
            <TextField
              id="invoice-paymentTerms"
              label={f.paymentTerms}
              value={draft.paymentTermsDays}
              onChange={set('paymentTermsDays')}
              inputMode="numeric"
              placeholder={String(defaultTerms)}
              hint={fill(f.paymentTermsHint, { days: defaultTerms })}
              error={err('paymentTermsDays', 'dueDate')}
            />
          ) : (
            <DateField id="invoice-dueDate" label={f.dueDate} value={draft.dueDate} onChange={set('dueDate')} error={err('dueDate', 'paymentTermsDays')} />
          )}
          <SelectField id="invoice-currency" label={f.currency} value={draft.currency} onChange={set('currency')} options={currencyOptions} error={err('currency')} />
          {draft.currency !== 'NOK' ? (
            <TextField
              id="invoice-exchangeRate"
              label={fill(f.exchangeRate, { currency: draft.currency })}
              value={draft.exchangeRate}
              onChange={set('exchangeRate')}
              inputMode="decimal"
              className="field--money"
              hint={f.exchangeRateHint}
              error={err('exchangeRate')}
            />
          ) : null}
        </div>
      </fieldset>

      <fieldset className="form-section" disabled={readOnly}>
        <legend className="form-section__title">{f.referencesSection}</legend>
        <div className="grid grid--3">
          <TextField id="invoice-buyerReference" label={f.buyerReference} value={draft.buyerReference} onChange={set('buyerReference')} optional={t.common.optional} error={err('buyerReference')} />
          <TextField id="invoice-orderReference" label={f.orderReference} value={draft.orderReference} onChange={set('orderReference')} optional={t.common.optional} error={err('orderReference')} />
          <TextField id="invoice-ourReference" label={f.ourReference} value={draft.ourReference} onChange={set('ourReference')} optional={t.common.optional} error={err('ourReference')} />
        </div>
        <TextAreaField id="invoice-freeText" label={f.freeText} value={draft.freeText} onChange={set('freeText')} rows={2} optional={t.common.optional} error={err('freeText')} />
        <CheckboxField
          label={f.hasDeliveryAddress}
          checked={draft.hasDeliveryAddress}
          onChange={(checked) =>
            update((d) => ({
              ...d,
              hasDeliveryAddress: checked,
              deliveryAddress:
                checked && d.deliveryAddress.line1 === '' && d.customer?.deliveryAddress
                  ? addressToDraft(d.customer.deliveryAddress)
                  : d.deliveryAddress,
            }))
          }
          error={err('deliveryAddress')}
        />
        {draft.hasDeliveryAddress ? (
          <div className="subsection">
            <AddressFields
              value={draft.deliveryAddress}
              onChange={set('deliveryAddress')}
              labels={{
                line1: f.deliveryLine1,
                line2: f.deliveryLine2,
                postalCode: f.deliveryPostalCode,
                city: f.deliveryCity,
                countryCode: f.deliveryCountryCode,
                countryHint: t.address.countryHint,
              }}
              prefix="deliveryAddress"
              error={(path) => err(path)}
            />
          </div>
        ) : null}
      </fieldset>

      <fieldset className="form-section" disabled={readOnly}>
        <legend className="form-section__title">{f.linesSection}</legend>
        {draft.lines.length === 0 ? <p className="muted">{f.noLines}</p> : null}
        <ol className="invoice-lines">
          {draft.lines.map((line, index) => (
            <li key={line.key}>
              <LineEditor
                index={index}
                line={line}
                net={lineNet(index)}
                currency={draft.currency}
                readOnly={readOnly}
                vatOptions={vatOptions}
                unitOptions={unitOptions}
                error={(field) => err(`lines.${index}.${field}`)}
                onChange={(change) => setLine(index, change)}
                onRemove={() => update((d) => ({ ...d, lines: d.lines.filter((_, i) => i !== index) }))}
              />
            </li>
          ))}
        </ol>
        {err('lines') ? (
          <p className="field__error" id="invoice-lines-error">
            <span aria-hidden="true" className="field__error-icon">
              !
            </span>
            {err('lines')}
          </p>
        ) : null}
        {readOnly ? null : (
          <div>
            <Button
              id="invoice-add-line"
              onClick={() => {
                update((d) => ({ ...d, lines: [...d.lines, emptyLine()] }));
                window.setTimeout(() => {
                  const inputs = formRef.current?.querySelectorAll<HTMLInputElement>('.invoice-line input[role="combobox"]');
                  inputs?.[inputs.length - 1]?.focus();
                }, 0);
              }}
              aria-describedby={err('lines') ? 'invoice-lines-error' : undefined}
            >
              + {f.addLine}
            </Button>
          </div>
        )}
      </fieldset>

      <fieldset className="form-section" disabled={readOnly}>
        <legend className="form-section__title">{t.allowances.section}</legend>
        <p className="field__hint">{t.allowances.intro}</p>
        {draft.allowanceCharges.length === 0 ? <p className="muted">{t.allowances.none}</p> : null}
        {draft.allowanceCharges.length > 0 ? (
          <ol className="invoice-lines">
            {draft.allowanceCharges.map((entry, index) => (
              <li key={entry.key}>
                <AllowanceChargeEditor
                  index={index}
                  entry={entry}
                  net={allowanceNet(index)}
                  currency={draft.currency}
                  readOnly={readOnly}
                  vatOptions={vatOptions}
                  error={(...fields) => err(...fields.map((field) => `allowanceCharges.${index}.${field}`))}
                  onChange={(change) => setAllowanceCharge(index, change)}
                  onRemove={() => update((d) => ({ ...d, allowanceCharges: d.allowanceCharges.filter((_, i) => i !== index) }))}
                />
              </li>
            ))}
          </ol>
        ) : null}
        {err('allowanceCharges') ? (
          <p className="field__error" id="invoice-allowances-error">
            <span aria-hidden="true" className="field__error-icon">
              !
            </span>
            {err('allowanceCharges')}
          </p>
        ) : null}
        {readOnly ? null : (
          <div className="allowance-actions">
            <Button id="invoice-add-allowance" onClick={() => addAllowanceCharge('allowance')}>
              + {t.allowances.addAllowance}
            </Button>
            <Button id="invoice-add-charge" onClick={() => addAllowanceCharge('charge')}>
              + {t.allowances.addCharge}
            </Button>
          </div>
        )}
      </fieldset>

      <section className="form-section" aria-labelledby="invoice-totals-title">
        <h2 className="form-section__title" id="invoice-totals-title">
          {f.totalsSection} {useServer ? null : <span className="badge badge--neutral">{f.unsaved}</span>}
        </h2>
        <VatSummary
          breakdown={figures.vatBreakdown}
          totals={figures.totals}
          currency={draft.currency}
          note={useServer ? f.savedNote : f.liveNote}
          live={!useServer}
          allowanceCharges={summaryAllowanceCharges}
        />
      </section>
    </>
  );

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="form form--page invoice-form">
      {readOnly ? <Alert kind="info" title={f.readOnly} /> : null}
      <Summary
        refObject={summaryRef}
        issueError={issueError}
        saveError={saveError}
        local={local}
        issues={issues}
        draft={draft}
      />
      {fields}
      {readOnly ? null : (
        <div className="form-actions form-actions--sticky">
          <Button type="submit" variant="secondary" disabled={busy !== null}>
            {busy === 'save' ? t.common.saving : f.save}
          </Button>
          {canIssue ? (
            <ConfirmAction
              label={busy === 'issue' ? f.issuing : f.issue}
              question={f.issueConfirm}
              confirmLabel={f.issueNow}
              variant="primary"
              disabled={busy !== null}
              onConfirm={issue}
            />
          ) : null}
          {saved ? (
            <span className="form-actions__end">
              <ConfirmAction label={f.delete} question={f.deleteConfirm} onConfirm={remove} disabled={busy !== null} />
            </span>
          ) : null}
        </div>
      )}
    </form>
  );
}

// ---------------------------------------------------------------- parts

/** The list over the form: every missing item of a refused issue, or a failed save's leftovers. */
function Summary({
  refObject,
  issueError,
  saveError,
  local,
  issues,
  draft,
}: {
  refObject: RefObject<HTMLDivElement | null>;
  issueError: unknown;
  saveError: unknown;
  local: FieldIssue[];
  issues: FieldIssue[];
  draft: Draft;
}) {
  const { t } = useI18n();
  const f = t.invoiceForm;
  let content: ReactNode = null;
  if (issues.length > 0) {
    content = (
      <Alert kind="error" title={f.incompleteTitle}>
        <ul className="alert__list issue-list">
          {issues.map((issue) => {
            const id = fieldIdFor(issue.path, draft);
            const text = issueText(t, issue);
            return (
              <li key={`${issue.path}:${issue.code}`}>
                {id ? (
                  <a
                    href={`#${id}`}
                    onClick={(event) => {
                      event.preventDefault();
                      focusField(id);
                    }}
                  >
                    {text}
                  </a>
                ) : (
                  text
                )}
                {issue.path.startsWith('seller.') ? (
                  <>
                    {' – '}
                    <Link to="/company">{f.companySettingsLink}</Link>
                  </>
                ) : null}
                {issue.path.startsWith('buyer.') && draft.customer ? (
                  <>
                    {' – '}
                    <Link to={`/customers/${draft.customer.id}`}>{f.customerLink}</Link>
                  </>
                ) : null}
              </li>
            );
          })}
        </ul>
      </Alert>
    );
  } else if (issueError) {
    content = <Alert kind="error" title={problemText(t, issueError)} />;
  } else if (saveError || local.length > 0) {
    const orphaned = saveError instanceof ApiError ? saveError.fieldErrors.filter((issue) => !isShownBesideField(issue.path, draft)) : [];
    content = (
      <Alert kind="error" title={saveError ? problemText(t, saveError) : t.errors.problems['validation.failed']}>
        {orphaned.length > 0 ? (
          <ul className="alert__list">
            {orphaned.map((issue) => (
              <li key={`${issue.path}:${issue.code}`}>
                {issue.path ? <code>{issue.path}</code> : null} {fieldErrorText(t, issue)}
              </li>
            ))}
          </ul>
        ) : null}
      </Alert>
    );
  }
  return (
    <div ref={refObject} tabIndex={-1} className="form-summary">
      {content}
    </div>
  );
}

function CustomerBlock({
  customer,
  readOnly,
  error,
  onPick,
  onClear,
}: {
  customer: CustomerRef | null;
  readOnly: boolean;
  error: string | undefined;
  onPick(customer: Customer): void;
  onClear(): void;
}) {
  const { t } = useI18n();
  const f = t.invoiceForm;
  const [justCleared, setJustCleared] = useState(false);
  if (!customer) {
    return (
      <SearchPicker<Customer>
        id="invoice-customer"
        label={f.customer}
        placeholder={f.customerSearchPlaceholder}
        error={error}
        disabled={readOnly}
        autoFocus={justCleared}
        search={(text, signal) => api.customers({ ...(text ? { q: text } : {}), limit: 8 }, signal).then((page) => page.items)}
        optionKey={(item) => item.id}
        renderOption={(item) => (
          <span className="picker__option-text">
            <span>{item.name}</span>
            <span className="muted small">
              #{formatInteger(item.customerNumber)}
              {item.orgNumber ? ` · ${formatOrgNumber(item.orgNumber)}` : ''}
              {item.address.city ? ` · ${item.address.city}` : ''}
            </span>
          </span>
        )}
        onPick={onPick}
      />
    );
  }
  const address = [customer.address.line1, [customer.address.postalCode, customer.address.city].filter(Boolean).join(' ')]
    .filter(Boolean)
    .join(', ');
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <span className="field__label" id="invoice-customer-label">
        {f.customer}
      </span>
      <div
        className="party-card"
        id="invoice-customer"
        tabIndex={-1}
        aria-labelledby="invoice-customer-label"
        aria-describedby={error ? 'invoice-customer-error' : undefined}
      >
        <div>
          <p className="party-card__name">{customer.name}</p>
          <p className="muted small">
            {fill(f.customerNumber, { number: formatInteger(customer.customerNumber) })}
            {customer.orgNumber ? ` · ${fill(t.invoiceView.orgNumber, { number: formatOrgNumber(customer.orgNumber) })}` : ''}
          </p>
          {address ? <p className="small">{address}</p> : null}
        </div>
        <div className="party-card__actions">
          <Link to={`/customers/${customer.id}`} className="small">
            {f.openCustomer}
          </Link>
          {readOnly ? null : (
            <Button
              variant="ghost"
              onClick={() => {
                setJustCleared(true);
                onClear();
              }}
            >
              {f.changeCustomer}
            </Button>
          )}
        </div>
      </div>
      {error ? (
        <p className="field__error" id="invoice-customer-error">
          <span aria-hidden="true" className="field__error-icon">
            !
          </span>
          {error}
        </p>
      ) : null}
    </div>
  );
}

function LineEditor({
  index,
  line,
  net,
  currency,
  readOnly,
  vatOptions,
  unitOptions,
  error,
  onChange,
  onRemove,
}: {
  index: number;
  line: LineDraft;
  net: number | null;
  currency: string;
  readOnly: boolean;
  vatOptions: Array<{ value: string; label: string }>;
  unitOptions: Array<{ value: string; label: string }>;
  error(field: string): string | undefined;
  onChange(change: Partial<LineDraft>): void;
  onRemove(): void;
}) {
  const { t } = useI18n();
  const f = t.invoiceForm;
  const n = index + 1;
  const id = (field: string) => `invoice-line-${index}-${field}`;
  const netId = id('net');
  return (
    <fieldset className="invoice-line">
      <legend className="invoice-line__legend">{fill(f.line, { n })}</legend>
      <div className="invoice-line__row invoice-line__row--top">
        {line.productId ? (
          <div className="field">
            <span className="field__label">{f.product}</span>
            <span className="chip" id={id('product')} tabIndex={-1}>
              {line.productNumber ? fill(f.productChosen, { number: line.productNumber }) : f.productLinked}
              {readOnly ? null : (
                <button
                  type="button"
                  className="chip__remove"
                  aria-label={`${f.clearProduct} (${fill(f.line, { n })})`}
                  title={f.clearProduct}
                  onClick={() => onChange({ productId: null, productNumber: null, revenueAccount: undefined })}
                >
                  ×
                </button>
              )}
            </span>
            {error('productId') ? <p className="field__error">{error('productId')}</p> : null}
          </div>
        ) : (
          <SearchPicker<Product>
            id={id('product')}
            label={f.product}
            placeholder={f.productPlaceholder}
            disabled={readOnly}
            error={error('productId')}
            search={(text, signal) => api.products({ ...(text ? { q: text } : {}), limit: 8 }, signal).then((page) => page.items)}
            optionKey={(product) => product.id}
            renderOption={(product) => (
              <span className="picker__option-text">
                <span>
                  <span className="mono small">{product.productNumber}</span> {product.name}
                </span>
                <span className="muted small">
                  {formatDecimal(product.unitPrice)} · {product.vatCode}
                </span>
              </span>
            )}
            onPick={(product) =>
              onChange({
                productId: product.id,
                productNumber: product.productNumber,
                description: product.name,
                unitCode: product.unitCode,
                unitPrice: decimalToInput(product.unitPrice),
                vatCode: product.vatCode,
                revenueAccount: undefined,
              })
            }
          />
        )}
        <TextField
          id={id('description')}
          label={f.description}
          value={line.description}
          onChange={(description) => onChange({ description })}
          error={error('description')}
        />
      </div>
      <div className="invoice-line__row invoice-line__row--numbers">
        <TextField
          id={id('quantity')}
          className="field--money"
          label={f.quantity}
          value={line.quantity}
          onChange={(quantity) => onChange({ quantity })}
          inputMode="decimal"
          error={error('quantity')}
        />
        <SelectField id={id('unit')} label={f.unit} value={line.unitCode} onChange={(unitCode) => onChange({ unitCode })} options={unitOptions} error={error('unitCode')} />
        <TextField
          id={id('unitPrice')}
          className="field--money"
          label={f.unitPrice}
          value={line.unitPrice}
          onChange={(unitPrice) => onChange({ unitPrice })}
          inputMode="decimal"
          error={error('unitPrice')}
        />
        <TextField
          id={id('discount')}
          className="field--money"
          label={f.discount}
          value={line.discountPercent}
          onChange={(discountPercent) => onChange({ discountPercent })}
          inputMode="decimal"
          placeholder="0"
          error={error('discountPercent')}
        />
        <SelectField id={id('vatCode')} label={f.vatCode} value={line.vatCode} onChange={(vatCode) => onChange({ vatCode })} options={vatOptions} error={error('vatCode')} />
        <div className="field field--money">
          <span className="field__label" id={`${netId}-label`}>
            {f.lineNet}
          </span>
          <output className="line-net" id={netId} aria-labelledby={`${netId}-label`}>
            {net === null ? '—' : formatMinor(net)}
            {currency !== 'NOK' ? <span className="muted small"> {currency}</span> : null}
          </output>
        </div>
        {readOnly ? null : (
          <div className="invoice-line__remove">
            <Button variant="ghost" className="btn--danger-text" aria-label={fill(f.removeLineLabel, { n })} onClick={onRemove}>
              {f.removeLine}
            </Button>
          </div>
        )}
      </div>
    </fieldset>
  );
}

/** Common reason codes offered for a type (UNCL 5189 / 7161; the API checks the code against the full list). */
function reasonCodeOptions(t: Messages, type: 'allowance' | 'charge', current: string): Array<{ value: string; label: string }> {
  const codes = type === 'allowance' ? t.allowances.allowanceCodes : t.allowances.chargeCodes;
  const options = [{ value: '', label: t.allowances.noReasonCode }, ...Object.entries(codes).map(([code, label]) => ({ value: code, label: `${code} – ${label}` }))];
  return current && !(current in codes) ? [...options, { value: current, label: current }] : options;
}

function AllowanceChargeEditor({
  index,
  entry,
  net,
  currency,
  readOnly,
  vatOptions,
  error,
  onChange,
  onRemove,
}: {
  index: number;
  entry: AllowanceChargeDraft;
  net: number | null;
  currency: string;
  readOnly: boolean;
  vatOptions: Array<{ value: string; label: string }>;
  error(...fields: string[]): string | undefined;
  onChange(change: Partial<AllowanceChargeDraft>): void;
  onRemove(): void;
}) {
  const { t } = useI18n();
  const a = t.allowances;
  const n = index + 1;
  const id = (field: string) => `invoice-allowance-${index}-${field}`;
  const netId = id('net');
  const codes = entry.type === 'allowance' ? a.allowanceCodes : a.chargeCodes;
  return (
    <fieldset className="invoice-line allowance-line" data-type={entry.type}>
      <legend className="invoice-line__legend">{fill(a.entry, { n })}</legend>
      <div className="invoice-line__row allowance-line__row--top">
        <SelectField
          id={id('type')}
          label={a.type}
          value={entry.type}
          onChange={(type) => {
            const next = type === 'charge' ? 'charge' : 'allowance';
            // Reason codes belong to one type (UNCL 5189 or 7161): a code of the other type is dropped.
            if (next !== entry.type) onChange({ type: next, reasonCode: '' });
          }}
          options={[
            { value: 'allowance', label: a.allowance },
            { value: 'charge', label: a.charge },
          ]}
          error={error('type')}
        />
        <TextField
          id={id('reason')}
          data-field="reason"
          label={a.reason}
          value={entry.reason}
          onChange={(reason) => onChange({ reason })}
          placeholder={a.reasonPlaceholder}
          maxLength={500}
          error={error('reason', 'revenueAccount')}
        />
        <SelectField
          id={id('reasonCode')}
          label={a.reasonCode}
          value={entry.reasonCode}
          onChange={(reasonCode) =>
            // Picking a code names the reason too, unless one is written already.
            onChange(entry.reason.trim() === '' && codes[reasonCode] ? { reasonCode, reason: codes[reasonCode] } : { reasonCode })
          }
          options={reasonCodeOptions(t, entry.type, entry.reasonCode)}
          optional={t.common.optional}
          error={error('reasonCode')}
        />
      </div>
      <div className="invoice-line__row allowance-line__row--numbers">
        <SelectField
          id={id('mode')}
          label={a.mode}
          value={entry.mode}
          onChange={(mode) => onChange({ mode: mode === 'percent' ? 'percent' : 'amount' })}
          options={[
            { value: 'amount', label: a.modeAmount },
            { value: 'percent', label: a.modePercent },
          ]}
        />
        <TextField
          id={id('value')}
          className="field--money"
          label={entry.mode === 'amount' ? a.amount : a.percent}
          value={entry.mode === 'amount' ? entry.amount : entry.percent}
          onChange={(value) => onChange(entry.mode === 'amount' ? { amount: value } : { percent: value })}
          inputMode="decimal"
          placeholder={entry.mode === 'amount' ? '0,00' : '0'}
          error={error('amount', 'percent')}
        />
        <SelectField id={id('vatCode')} label={a.vatCode} value={entry.vatCode} onChange={(vatCode) => onChange({ vatCode })} options={vatOptions} error={error('vatCode')} />
        <div className="field field--money">
          <span className="field__label" id={`${netId}-label`}>
            {a.net}
          </span>
          <output className="line-net" id={netId} aria-labelledby={`${netId}-label`}>
            {net === null ? '—' : formatMinor(net)}
            {currency !== 'NOK' ? <span className="muted small"> {currency}</span> : null}
          </output>
        </div>
        {readOnly ? null : (
          <div className="invoice-line__remove">
            <Button variant="ghost" className="btn--danger-text" aria-label={fill(a.removeLabel, { n })} onClick={onRemove}>
              {a.remove}
            </Button>
          </div>
        )}
      </div>
    </fieldset>
  );
}
