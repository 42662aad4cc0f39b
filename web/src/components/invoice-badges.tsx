import type { Invoice, InvoiceStatus } from '../api/types';
import { useI18n } from '../i18n';
import { Badge } from './ui';

const TONES: Record<InvoiceStatus, 'neutral' | 'accent' | 'success' | 'warning' | 'danger'> = {
  draft: 'neutral',
  issued: 'accent',
  sent: 'accent',
  partially_paid: 'warning',
  paid: 'success',
  credited: 'neutral',
};

/** Status, plus "Forfalt" when overdue and "TEST" for test-mode documents. */
export function InvoiceBadges({ invoice }: { invoice: Pick<Invoice, 'status' | 'isOverdue' | 'isTest'> }) {
  const { t } = useI18n();
  return (
    <span className="badges">
      <Badge tone={TONES[invoice.status]}>{t.invoices.statuses[invoice.status]}</Badge>
      {invoice.isOverdue ? <Badge tone="danger">{t.invoices.overdue}</Badge> : null}
      {invoice.isTest ? <Badge tone="warning">{t.invoices.test}</Badge> : null}
    </span>
  );
}
