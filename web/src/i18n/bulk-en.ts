import type { bulkNb } from './bulk-nb';

/** Texts for bulk actions on the invoice list (English); part of the en dictionary as `bulk`. */
export const bulkEn: typeof bulkNb = {
  select: 'Select',
  selectAll: 'Select all on this page',
  selectRow: 'Select {number}',
  selected: '{count} selected',
  clearSelection: 'Clear selection',
  issueAndSend: 'Issue and send',
  issueAndSendCount: 'Issue and send ({count})',
  issueAndSendHint: 'Issues the selected drafts and e-mails each invoice.',
  downloadZip: 'Download PDFs (ZIP)',
  downloadZipCount: 'Download PDFs (ZIP) ({count})',
  confirmIssue:
    'Issue and send {count} invoices? Each invoice takes the next number of the series and cannot be changed afterwards. Drafts lacking mandatory content stay drafts.',
  confirmIssueAction: 'Issue and send',
  panelTitle: { issue_and_send: 'Issue and send', pdf_zip: 'PDFs as ZIP' },
  progressLabel: 'Progress',
  progress: '{done} of {total} processed',
  statuses: {
    queued: 'Queued',
    running: 'Running',
    completed: 'Completed',
    completed_with_errors: 'Completed with errors',
    failed: 'Stopped',
  },
  summary: '{succeeded} succeeded, {failed} failed',
  download: 'Download ZIP',
  close: 'Close',
  errorsTitle: 'Documents with errors',
  itemIssuedNotSent: 'Issued as {number}, but not sent.',
  itemNotIssued: 'Not issued.',
  missing: 'Missing:',
  itemErrors: {
    'invoice.incomplete': 'The invoice lacks mandatory content.',
    'delivery.no_recipient': 'The customer has no e-mail address.',
    'email.not_configured': 'E-mail is not set up.',
    'invoice.not_found': 'The invoice no longer exists.',
    'invoice.not_issued': 'The document is not issued.',
  },
  deliveryStatuses: { queued: 'queued', sending: 'sending', sent: 'sent', failed: 'retrying later', dead: 'not sent' },
  problems: {
    'bulk.not_found': 'The bulk operation was not found.',
    'bulk.not_ready': 'The ZIP file is not ready yet.',
  },
};
