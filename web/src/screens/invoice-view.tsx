import { useState, type ReactNode } from 'react';
import { api } from '../api/endpoints';
import { documentPdfUrl } from '../api/document-template';
import { archivePdfUrl, ehfUrl } from '../api/ehf';
import { findEhfProblems } from '../../../src/domain/ehf/ehf-document.js';
import type { Address, Invoice, JournalEntry, ReferenceData } from '../api/types';
import { InvoiceBadges } from '../components/invoice-badges';
import { InvoiceDeliverySection } from '../components/invoice-delivery';
import { InvoicePaymentsSection } from '../components/payments';
import { Alert, Button, Loading, notify, PageHeader } from '../components/ui';
import { VatSummary } from '../components/vat-summary';
import {
  formatBankAccount,
  formatDate,
  formatDateTime,
  formatDecimal,
  formatMinor,
  formatMoney,
  formatOrgNumber,
  formatPercent,
  formatQuantity,
} from '../format';
import { useLoad, useReferenceData } from '../hooks';
import { fill, problemText, useI18n } from '../i18n';
import { Link, navigate } from '../router';
import { useCan } from '../session';
import { CreditNoteForm } from './credit-note-form';
import { unitLabel } from './products';

function AddressLines({ address }: { address: Address }) {
  const place = [address.postalCode, address.city].filter(Boolean).join(' ');
  return (
    <>
      {address.line1 ? <span className="block">{address.line1}</span> : null}
      {address.line2 ? <span className="block">{address.line2}</span> : null}
      {place ? <span className="block">{place}</span> : null}
      {address.countryCode && address.countryCode !== 'NO' ? <span className="block">{address.countryCode}</span> : null}
    </>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="facts__item">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** An issued invoice or credit note: everything on it, its journal entry, its credit notes, and "Krediter". */
export function InvoiceView({ doc, onChange }: { doc: Invoice; onChange(doc: Invoice): void }) {
  const { t, language } = useI18n();
  const canIssue = useCan('invoices.issue');
  const canSend = useCan('invoices.send');
  const reference = useReferenceData();
  const refData = reference.status === 'ready' ? reference.data : null;
  const [crediting, setCrediting] = useState(false);
  const [marking, setMarking] = useState(false);
  const v = t.invoiceView;
  const isCredit = doc.kind === 'credit_note';
  const title = fill(isCredit ? v.creditNoteTitle : v.invoiceTitle, { number: doc.documentNumber ?? '' });
  const canCredit = canIssue && !isCredit && doc.status !== 'draft' && doc.status !== 'credited';

  async function markSent() {
    setMarking(true);
    try {
      onChange(await api.markInvoiceSent(doc.id));
      notify(v.markedSent);
    } catch (error) {
      notify(problemText(t, error), 'error');
    } finally {
      setMarking(false);
    }
  }

  return (
    <>
      <PageHeader
        title={title}
        actions={
          <>
            <a className="btn btn--secondary" href={documentPdfUrl(doc.id)} download>
              {t.documents.downloadPdf}
            </a>
            {/* The same rule the server applies: a document EHF cannot express has neither file. */}
            {findEhfProblems(doc).length === 0 ? (
              <>
                <a className="btn btn--secondary" href={ehfUrl(doc.id)} download>
                  {t.ehf.document.downloadEhf}
                </a>
                <a className="btn btn--secondary" href={archivePdfUrl(doc.id)} download title={t.ehf.document.archivePdfHint}>
                  {t.ehf.document.downloadArchivePdf}
                </a>
              </>
            ) : null}
            {canSend && doc.sentAt === null ? (
              <Button onClick={markSent} disabled={marking}>
                {v.markSent}
              </Button>
            ) : null}
            {canCredit && !crediting ? (
              <Button variant="primary" onClick={() => setCrediting(true)}>
                {t.creditNote.action}
              </Button>
            ) : null}
          </>
        }
      />
      {doc.isTest ? <Alert kind="warning" title={v.testNotice} /> : null}
      {isCredit && doc.creditedInvoice ? (
        <Alert kind="info" title={v.creditNote}>
          <p>
            <Link to={`/invoices/${doc.creditedInvoice.id}`}>
              {fill(v.creditsInvoice, {
                number: doc.creditedInvoice.documentNumber ?? '',
                date: formatDate(doc.creditedInvoice.issueDate),
              })}
            </Link>
          </p>
          {doc.creditReason ? (
            <p>
              {v.creditReason}: {doc.creditReason}
            </p>
          ) : null}
        </Alert>
      ) : null}

      {crediting ? (
        <CreditNoteForm
          invoice={doc}
          onCancel={() => setCrediting(false)}
          onDone={(note) => {
            notify(fill(t.creditNote.created, { number: note.documentNumber ?? '' }));
            navigate(`/invoices/${note.id}`);
          }}
        />
      ) : null}

      <div className="doc">
        <dl className="facts">
          <Fact label={t.invoices.status}>
            <InvoiceBadges invoice={doc} />
            {doc.sentAt ? <span className="muted small"> {fill(v.sentAt, { date: formatDateTime(doc.sentAt) })}</span> : null}
          </Fact>
          <Fact label={isCredit ? v.creditNoteNumber : v.number}>{doc.documentNumber}</Fact>
          {doc.kid ? (
            <Fact label={v.kid}>
              <span className="mono">{doc.kid}</span>
            </Fact>
          ) : null}
          <Fact label={isCredit ? v.creditNoteDate : v.issueDate}>{formatDate(doc.issueDate)}</Fact>
          {doc.deliveryPeriod ? (
            <Fact label={v.deliveryPeriod}>
              {formatDate(doc.deliveryPeriod.start)}–{formatDate(doc.deliveryPeriod.end)}
            </Fact>
          ) : doc.deliveryDate ? (
            <Fact label={v.deliveryDate}>{formatDate(doc.deliveryDate)}</Fact>
          ) : null}
          {!isCredit && doc.dueDate ? (
            <Fact label={v.dueDate}>
              <span className={doc.isOverdue ? 'overdue' : undefined}>{formatDate(doc.dueDate)}</span>
            </Fact>
          ) : null}
          {!isCredit && doc.paymentTermsDays !== null ? (
            <Fact label={v.paymentTerms}>{fill(v.paymentTermsDays, { days: doc.paymentTermsDays })}</Fact>
          ) : null}
          {doc.currency !== 'NOK' ? (
            <Fact label={v.currency}>
              {doc.currency}
              {doc.exchangeRate ? ` (${v.exchangeRate} ${formatDecimal(doc.exchangeRate)})` : ''}
            </Fact>
          ) : null}
          {doc.buyerReference ? <Fact label={v.buyerReference}>{doc.buyerReference}</Fact> : null}
          {doc.orderReference ? <Fact label={v.orderReference}>{doc.orderReference}</Fact> : null}
          {doc.ourReference ? <Fact label={v.ourReference}>{doc.ourReference}</Fact> : null}
        </dl>

        <div className="parties">
          {doc.seller ? (
            <section className="party" aria-labelledby="doc-seller">
              <h2 className="party__title" id="doc-seller">
                {v.seller}
              </h2>
              <p className="party__name">{doc.seller.legalName}</p>
              <p>
                <AddressLines address={doc.seller.address} />
              </p>
              <p>
                {fill(doc.seller.isVatRegistered ? v.orgNumberMva : v.orgNumber, { number: formatOrgNumber(doc.seller.orgNumber) })}
                {doc.seller.isInForetaksregisteret ? <span className="block">{v.foretaksregisteret}</span> : null}
              </p>
              {doc.seller.bankAccount ? (
                <p>
                  {v.bankAccount}: <span className="mono">{formatBankAccount(doc.seller.bankAccount)}</span>
                </p>
              ) : null}
              {doc.seller.iban ? (
                <p>
                  {v.iban}: <span className="mono">{doc.seller.iban}</span>
                </p>
              ) : null}
            </section>
          ) : null}
          <section className="party" aria-labelledby="doc-buyer">
            <h2 className="party__title" id="doc-buyer">
              {v.buyer}
            </h2>
            <p className="party__name">
              <Link to={`/customers/${doc.customerId}`}>{doc.buyer.name}</Link>
            </p>
            <p>
              <AddressLines address={doc.buyer.address} />
            </p>
            {doc.buyer.orgNumber ? <p>{fill(v.orgNumber, { number: formatOrgNumber(doc.buyer.orgNumber) })}</p> : null}
            {doc.buyer.email ? <p>{doc.buyer.email}</p> : null}
            {doc.deliveryAddress ? (
              <>
                <h3 className="party__subtitle">{v.deliveryAddress}</h3>
                <p>
                  <AddressLines address={doc.deliveryAddress} />
                </p>
              </>
            ) : null}
          </section>
        </div>

        <LinesTable doc={doc} reference={refData} language={language} />
        <AllowanceChargesTable doc={doc} />
        {doc.freeText ? <p className="doc__free-text">{doc.freeText}</p> : null}

        <div className="doc__totals">
          <VatSummary
            breakdown={doc.vatBreakdown}
            totals={doc.totals}
            currency={doc.currency}
            allowanceCharges={doc.allowanceCharges.map((entry) => ({
              key: entry.id,
              type: entry.type,
              reason: entry.reason,
              percent: entry.percent,
              netMinor: entry.netMinor,
            }))}
          />
          {isCredit ? null : (
            <table className="sum-table sum-table--amounts">
              <caption className="table__caption">{v.amounts}</caption>
              <tbody>
                <tr>
                  <th scope="row">{v.payable}</th>
                  <td className="num">{formatMoney(doc.totals.payableMinor, doc.currency)}</td>
                </tr>
                <tr>
                  <th scope="row">{v.paid}</th>
                  <td className="num">{formatMoney(doc.paidMinor, doc.currency)}</td>
                </tr>
                <tr>
                  <th scope="row">{v.credited}</th>
                  <td className="num">{formatMoney(doc.creditedMinor, doc.currency)}</td>
                </tr>
                <tr className="sum-table__total">
                  <th scope="row">{v.open}</th>
                  <td className="num">{formatMoney(doc.openMinor, doc.currency)}</td>
                </tr>
              </tbody>
            </table>
          )}
        </div>
      </div>

      {isCredit ? null : <InvoicePaymentsSection doc={doc} onChange={onChange} />}

      <InvoiceDeliverySection doc={doc} onChange={onChange} />

      {isCredit ? null : (
        <section className="card card--section" aria-labelledby="doc-credit-notes">
          <h2 className="section-title" id="doc-credit-notes">
            {v.creditNotes}
          </h2>
          {doc.creditNotes.length === 0 ? (
            <p className="muted">{v.noCreditNotes}</p>
          ) : (
            <table className="table table--dense">
              <thead>
                <tr>
                  <th scope="col">{t.invoices.number}</th>
                  <th scope="col">{t.invoices.date}</th>
                  <th scope="col" className="num">
                    {t.invoices.total}
                  </th>
                </tr>
              </thead>
              <tbody>
                {doc.creditNotes.map((note) => (
                  <tr key={note.id}>
                    <td>
                      <Link to={`/invoices/${note.id}`} className="table__link">
                        {note.documentNumber}
                      </Link>
                    </td>
                    <td>{formatDate(note.issueDate)}</td>
                    <td className="num">{formatMoney(note.grossMinor, doc.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}

      <JournalSection doc={doc} />
      <p className="back-link">
        <Link to={isCredit ? '/invoices/credit-notes' : '/invoices'}>← {v.backToList}</Link>
      </p>
    </>
  );
}

function LinesTable({ doc, reference, language }: { doc: Invoice; reference: ReferenceData | null; language: 'nb' | 'en' }) {
  const { t } = useI18n();
  const f = t.invoiceForm;
  const hasDiscount = doc.lines.some((line) => line.discountPercent !== '0');
  return (
    <div className="table-wrap doc__lines">
      <table className="table table--dense">
        <caption className="table__caption">{t.invoiceView.lines}</caption>
        <thead>
          <tr>
            <th scope="col">{f.description}</th>
            <th scope="col" className="num">
              {f.quantity}
            </th>
            <th scope="col">{f.unit}</th>
            <th scope="col" className="num">
              {f.unitPrice}
            </th>
            {hasDiscount ? (
              <th scope="col" className="num">
                {f.discount}
              </th>
            ) : null}
            <th scope="col" className="num">
              {t.totals.rate}
            </th>
            <th scope="col" className="num">
              {f.lineNet}
            </th>
          </tr>
        </thead>
        <tbody>
          {doc.lines.map((line) => (
            <tr key={line.id}>
              <td>{line.description}</td>
              <td className="num">{formatQuantity(line.quantity)}</td>
              <td>{unitLabel(reference, line.unitCode, language)}</td>
              <td className="num">{line.unitPrice === null ? '' : formatDecimal(line.unitPrice)}</td>
              {hasDiscount ? <td className="num">{line.discountPercent === '0' ? '' : formatPercent(line.discountPercent)}</td> : null}
              <td className="num nowrap">
                {formatPercent(line.vatRatePercent)} <span className="muted small">({line.vatCode})</span>
              </td>
              <td className="num">{formatMinor(line.netMinor)}</td>
            </tr>
          ))}
        </tbody>
        {doc.allowanceCharges.length > 0 ? (
          <tfoot>
            <tr>
              <th scope="row" colSpan={hasDiscount ? 6 : 5}>
                {t.allowances.lineTotal}
              </th>
              <td className="num">{formatMinor(doc.totals.lineTotalMinor)}</td>
            </tr>
          </tfoot>
        ) : null}
      </table>
    </div>
  );
}

/** Document-level allowances (rabatter) and charges (tillegg), under the lines; amounts signed as they count. */
function AllowanceChargesTable({ doc }: { doc: Invoice }) {
  const { t } = useI18n();
  const a = t.allowances;
  if (doc.allowanceCharges.length === 0) return null;
  return (
    <div className="table-wrap doc__lines">
      <table className="table table--dense">
        <caption className="table__caption">{a.section}</caption>
        <thead>
          <tr>
            <th scope="col">{a.type}</th>
            <th scope="col">{a.reason}</th>
            <th scope="col" className="num">
              {a.base}
            </th>
            <th scope="col" className="num">
              {t.totals.rate}
            </th>
            <th scope="col" className="num">
              {a.net}
            </th>
          </tr>
        </thead>
        <tbody>
          {doc.allowanceCharges.map((entry) => (
            <tr key={entry.id} data-allowance-charge={entry.type}>
              <td>{entry.type === 'allowance' ? a.allowance : a.charge}</td>
              <td>
                {entry.reason}
                {entry.reasonCode ? <span className="muted small"> ({entry.reasonCode})</span> : null}
              </td>
              <td className="num nowrap">
                {entry.percent !== null && entry.baseMinor !== null
                  ? fill(a.percentOf, { percent: formatPercent(entry.percent), base: formatMinor(entry.baseMinor) })
                  : ''}
              </td>
              <td className="num nowrap">
                {formatPercent(entry.vatRatePercent)} <span className="muted small">({entry.vatCode})</span>
              </td>
              <td className="num">{formatMinor(entry.netMinor)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function JournalSection({ doc }: { doc: Invoice }) {
  const { t } = useI18n();
  const v = t.invoiceView;
  const [state, reload] = useLoad(`journal:${doc.id}:${doc.journalEntryId ?? ''}`, () => api.journalEntriesFor(doc.id));
  return (
    <section className="card card--section" aria-labelledby="doc-journal">
      <h2 className="section-title" id="doc-journal">
        {v.journal}
      </h2>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? (
        <Alert kind="error" title={problemText(t, state.error)}>
          <Button onClick={reload}>{t.app.retry}</Button>
        </Alert>
      ) : null}
      {state.status === 'ready' && state.data.items.length === 0 ? <p className="muted">{v.journalEmpty}</p> : null}
      {state.status === 'ready' ? state.data.items.map((entry) => <JournalTable key={entry.id} entry={entry} />) : null}
    </section>
  );
}

function JournalTable({ entry }: { entry: JournalEntry }) {
  const { t } = useI18n();
  const v = t.invoiceView;
  const debit = entry.lines.reduce((sum, line) => sum + line.debitMinor, 0);
  const credit = entry.lines.reduce((sum, line) => sum + line.creditMinor, 0);
  return (
    <div className="table-wrap journal">
      <table className="table table--dense">
        <caption className="table__caption">
          {fill(v.journalVoucher, { voucher: entry.voucher, date: formatDate(entry.entryDate) })}
          <span className="muted small"> · {v.nokNote}</span>
        </caption>
        <thead>
          <tr>
            <th scope="col">{v.account}</th>
            <th scope="col">{v.text}</th>
            <th scope="col">{v.vatCode}</th>
            <th scope="col" className="num">
              {v.debit}
            </th>
            <th scope="col" className="num">
              {v.credit}
            </th>
          </tr>
        </thead>
        <tbody>
          {entry.lines.map((line) => (
            <tr key={line.lineNumber}>
              <td className="mono">{line.account}</td>
              <td>{line.description}</td>
              <td>{line.vatCode ?? ''}</td>
              <td className="num">{line.debitMinor ? formatMinor(line.debitMinor) : ''}</td>
              <td className="num">{line.creditMinor ? formatMinor(line.creditMinor) : ''}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={3}>
              {v.sum}
            </th>
            <td className="num">{formatMinor(debit)}</td>
            <td className="num">{formatMinor(credit)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
