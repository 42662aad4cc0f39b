/** Interfaces the application needs from the outside world; main.ts wires real adapters. */

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /** A new time-ordered unique id (UUIDv7). */
  newId(): string;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
}

/**
 * Authenticated encryption for secrets kept in the database (SMTP passwords). `context` is
 * bound to the ciphertext (e.g. `smtp-password:<companyId>`), so a sealed value copied to
 * another row or company does not open.
 */
export interface SecretBox {
  seal(plaintext: string, context: string): string;
  /** Throws when the value was altered, belongs to another context, or was sealed with another key. */
  open(sealed: string, context: string): string;
}

/** Structured log lines (pino-compatible levels); never pass secrets in `fields`. */
export interface Logger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** The archived PDF of an issued invoice or credit note (the bytes `GET /invoices/{id}/pdf` serves). */
export interface DocumentPdf {
  bytes: Buffer;
  filename: string;
  sha256: string;
}

export interface DocumentPdfSource {
  getDocumentPdf(ctx: import('./context.js').CompanyContext, invoiceId: string): Promise<DocumentPdf>;
}

export type SmtpSecurity = 'tls' | 'starttls' | 'none';

/** How to reach one company's SMTP server. `version` changes whenever the settings change. */
export interface SmtpTransportSettings {
  /** Cache key of the pooled connection (the company id). */
  key: string;
  version: string;
  host: string;
  port: number;
  security: SmtpSecurity;
  username: string | null;
  password: string | null;
}

export interface OutgoingMail {
  from: { name: string | null; address: string };
  replyTo: string | null;
  to: string;
  subject: string;
  text: string;
  /** Sent as the Message-ID header, angle brackets included: `<id@domain>`. */
  messageId: string;
  attachments: Array<{ filename: string; content: Buffer; contentType: string }>;
}

export interface MailSendResult {
  messageId: string;
  /** The server's final reply, e.g. `250 OK: queued as …`. */
  response: string;
}

/** `tls`: the TLS handshake failed (untrusted or wrong-name certificate) or STARTTLS was required but not offered. */
export type MailFailureKind = 'connection' | 'tls' | 'auth' | 'rejected' | 'timeout' | 'other';

/** A failed SMTP conversation, classified; `isPermanent` failures are not worth retrying. */
export class MailError extends Error {
  readonly kind: MailFailureKind;
  readonly responseCode: number | null;
  readonly isPermanent: boolean;

  constructor(kind: MailFailureKind, message: string, options: { responseCode?: number | null; isPermanent?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MailError';
    this.kind = kind;
    this.responseCode = options.responseCode ?? null;
    this.isPermanent = options.isPermanent ?? false;
  }
}

/** Sends e-mail through a company's own SMTP server; throws MailError. */
export interface Mailer {
  send(transport: SmtpTransportSettings, mail: OutgoingMail): Promise<MailSendResult>;
  /** Connects and authenticates without sending. */
  verify(transport: SmtpTransportSettings): Promise<void>;
  /** Drops the pooled connection of `key` (settings changed). */
  invalidate(key: string): void;
  close(): Promise<void>;
}

/** Where EHF documents are handed over: an access-point provider over HTTP, or a folder another program watches. */
export type AccessPointTarget =
  | { kind: 'http'; url: string; token: string }
  | { kind: 'folder'; path: string };

/** One EHF document handed to an access point. */
export interface AccessPointDocument {
  /** The EHF XML (UTF-8), byte-identical to what GET …/ehf serves. */
  xml: string;
  documentNumber: string;
  deliveryId: string;
  /** `{invoiceId}:ehf:{n}`: the same on every attempt, so a provider can recognise a repeat. */
  deliveryKey: string;
}

export interface AccessPointReceipt {
  /** The provider's id for the message (HTTP) or the file name written (folder); null when the provider gave none. */
  messageId: string | null;
  /** A short description of the answer, e.g. `HTTP 202`. Never contains the token. */
  response: string;
}

/** A failed hand-over; `isPermanent` failures (a 4xx other than 408/429) are not worth retrying. */
export class AccessPointError extends Error {
  readonly isPermanent: boolean;
  readonly status: number | null;

  constructor(message: string, options: { isPermanent?: boolean; status?: number | null; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AccessPointError';
    this.isPermanent = options.isPermanent ?? false;
    this.status = options.status ?? null;
  }
}

/** Hands EHF documents to an access point; throws AccessPointError. */
export interface AccessPoint {
  deliver(target: AccessPointTarget, document: AccessPointDocument): Promise<AccessPointReceipt>;
  /**
   * Checks that a folder can take deliveries: absolute, created when missing, writable.
   * Returns a problem code (`folder_path.not_absolute`, `folder_path.not_writable`) or null.
   */
  checkFolder(path: string): Promise<{ code: string; message: string } | null>;
}
