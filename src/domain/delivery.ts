/**
 * A delivery is one hand-over of a document to a channel (e-mail now, EHF/PEPPOL later).
 * `deliveryKey` — document, channel, sequence — is unique in the database: the first send
 * is sequence 1, and only an explicit resend makes the next one, so a document never goes
 * out twice through a channel by accident (a double click, a retried request, a crash).
 */
export type DeliveryStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'dead';

export interface Delivery {
  id: string;
  invoiceId: string;
  channel: string;
  sequence: number;
  deliveryKey: string;
  recipient: string;
  status: DeliveryStatus;
  /** Attempts that reached the point of talking to the channel. */
  attempts: number;
  maxAttempts: number | null;
  /** When a failed delivery is tried again; null unless `failed`. */
  nextAttemptAt: string | null;
  messageId: string | null;
  lastError: string | null;
  requestedBy: string;
  sentAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The channels a document goes out through: e-mail with the PDF, or EHF through an access point. */
export type DeliveryChannel = 'email' | 'ehf';

/**
 * The channel a customer's documents go through when a send names none: the customer's own
 * choice, else EHF for a customer with a PEPPOL id (it has said it receives EHF), else e-mail.
 *
 * @example defaultDeliveryChannel({ deliveryChannel: null, peppolId: '0192:974760673' }) // 'ehf'
 */
export function defaultDeliveryChannel(customer: { deliveryChannel: DeliveryChannel | null; peppolId: string | null }): DeliveryChannel {
  if (customer.deliveryChannel) return customer.deliveryChannel;
  return customer.peppolId?.trim() ? 'ehf' : 'email';
}

/** @example deliveryKeyFor('0193…', 'email', 1) // '0193…:email:1' */
export function deliveryKeyFor(invoiceId: string, channel: string, sequence: number): string {
  return `${invoiceId}:${channel}:${sequence}`;
}

/** Statuses in which a delivery may still go out; a resend must wait for them to end. */
export function isDeliveryOpen(status: DeliveryStatus): boolean {
  return status === 'queued' || status === 'sending' || status === 'failed';
}
