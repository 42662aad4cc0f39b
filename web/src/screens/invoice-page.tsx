import { useEffect, useRef, useState } from 'react';
import { api } from '../api/endpoints';
import { documentPdfUrl } from '../api/document-template';
import type { Company, Invoice, ReferenceData } from '../api/types';
import { InvoiceBadges } from '../components/invoice-badges';
import { Alert, Button, Loading, PageHeader } from '../components/ui';
import { useLoad, useReferenceData, type LoadState } from '../hooks';
import { problemText, useI18n } from '../i18n';
import { Link, navigate } from '../router';
import { InvoiceEditor } from './invoice-editor';
import { InvoiceView } from './invoice-view';

/**
 * A just-created invoice handed from the "new" page to its own address, so the
 * page does not fetch it again and can show a refused issue at once.
 */
let handoff: { doc: Invoice; issueError: unknown } | null = null;

function handOver(doc: Invoice, issueError: unknown) {
  handoff = { doc, issueError };
  navigate(`/invoices/${doc.id}`, { replace: true });
}

/** The company (VAT registration, default terms) and reference data the editor computes with. */
function useEditorContext(): LoadState<{ company: Company; reference: ReferenceData }> {
  const reference = useReferenceData();
  const [company] = useLoad('invoice-editor:company', () => api.company());
  if (company.status === 'error') return company;
  if (reference.status === 'error') return reference;
  if (company.status === 'loading' || reference.status === 'loading') return { status: 'loading' };
  return { status: 'ready', data: { company: company.data, reference: reference.data } };
}

function LoadError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <>
      <Alert kind="error" title={problemText(t, error)}>
        {onRetry ? <Button onClick={onRetry}>{t.app.retry}</Button> : null}
      </Alert>
      <Link to="/invoices">{t.invoiceView.backToList}</Link>
    </>
  );
}

export function InvoiceNewScreen() {
  const { t } = useI18n();
  const context = useEditorContext();
  return (
    <>
      <PageHeader title={t.invoiceForm.newTitle} />
      {context.status === 'loading' ? <Loading /> : null}
      {context.status === 'error' ? <LoadError error={context.error} /> : null}
      {context.status === 'ready' ? (
        <InvoiceEditor
          initial={null}
          company={context.data.company}
          reference={context.data.reference}
          onCreated={handOver}
          onIssued={(doc) => handOver(doc, null)}
        />
      ) : null}
    </>
  );
}

/** /invoices/:id — a draft opens in the editor, an issued invoice or credit note in the document view. */
export function InvoiceScreen({ id }: { id: string }) {
  // Mounted once per id (the route is keyed by it): the hand-over is used for the first load only.
  const [seed] = useState(() => (handoff && handoff.doc.id === id ? handoff : null));
  const seedDoc = useRef(seed?.doc ?? null);
  useEffect(() => {
    if (handoff?.doc.id === id) handoff = null;
  }, [id]);
  const [state, reload, replace] = useLoad(`invoice:${id}`, () => {
    const doc = seedDoc.current;
    seedDoc.current = null;
    return doc ? Promise.resolve(doc) : api.invoice(id);
  });

  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <LoadError error={state.error} onRetry={reload} />;
  const doc = state.data;
  if (doc.status === 'draft') {
    return <DraftScreen key={doc.id} doc={doc} issueError={seed?.issueError ?? null} onIssued={replace} />;
  }
  return <InvoiceView key={doc.id} doc={doc} onChange={replace} />;
}

function DraftScreen({ doc, issueError, onIssued }: { doc: Invoice; issueError: unknown; onIssued(doc: Invoice): void }) {
  const { t } = useI18n();
  const context = useEditorContext();
  return (
    <>
      <PageHeader
        title={t.invoiceForm.draftTitle}
        actions={
          <>
            <InvoiceBadges invoice={doc} />
            {/* The saved draft as a PDF, marked UTKAST (rendered live, never stored). */}
            <a className="btn btn--secondary" href={documentPdfUrl(doc.id)} target="_blank" rel="noopener">
              {t.documents.previewPdf}
            </a>
          </>
        }
      />
      {context.status === 'loading' ? <Loading /> : null}
      {context.status === 'error' ? <LoadError error={context.error} /> : null}
      {context.status === 'ready' ? (
        <InvoiceEditor
          initial={doc}
          company={context.data.company}
          reference={context.data.reference}
          initialIssueError={issueError}
          onCreated={handOver}
          onIssued={onIssued}
        />
      ) : null}
    </>
  );
}
