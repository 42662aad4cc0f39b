import net from 'node:net';
import tls from 'node:tls';
import nodemailer from 'nodemailer';
import type { Logger, Mailer, MailFailureKind, MailSendResult, OutgoingMail, SmtpTransportSettings } from '../../app/ports.js';
import { MailError } from '../../app/ports.js';

export interface SmtpMailerOptions {
  logger: Logger;
  /** TCP connect limit. */
  connectionTimeoutMs?: number;
  /** Wait for the server's greeting after connecting. */
  greetingTimeoutMs?: number;
  /** Silence on an open connection; keep it below the job lease so a stalled send fails before the lease ends. */
  socketTimeoutMs?: number;
  /** Open connections per company. */
  maxConnections?: number;
  /**
   * PEM certificates trusted in addition to Node's built-in root certificates
   * (SMTP_EXTRA_CA_FILE: a company's internal mail relay signed by a private CA).
   */
  extraCa?: readonly string[];
}

type Transporter = ReturnType<typeof nodemailer.createTransport>;

interface CachedTransport {
  version: string;
  transporter: Transporter;
}

const CONNECTION_CODES = new Set(['ECONNECTION', 'ESOCKET', 'EDNS', 'EPROXY', 'EPROTOCOL']);

/**
 * Node's codes for a certificate that failed verification (OpenSSL's X509_V_ERR_* names) or a
 * failed handshake. nodemailer reports them as ESOCKET (implicit TLS) with the Node code kept as
 * `originalCode`, or as ETLS (STARTTLS).
 */
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function isTlsFailure(code: string, originalCode: string): boolean {
  if (code === 'ETLS' || code === 'EREQUIRETLS') return true;
  return [code, originalCode].some((value) => CERTIFICATE_CODES.has(value) || /^ERR_(TLS|SSL)_/.test(value) || value === 'EPROTO');
}

/** What the user can do about a failed TLS handshake, by its cause. */
function tlsFailureMessage(code: string, originalCode: string, message: string): string {
  if (originalCode === 'ERR_TLS_CERT_ALTNAME_INVALID' || /does not match certificate's altnames/i.test(message)) {
    return `TLS failed: the SMTP server's certificate is issued for another host name than the one in the settings (${message})`;
  }
  if (CERTIFICATE_CODES.has(originalCode) || CERTIFICATE_CODES.has(code) || /certificate|self[- ]signed/i.test(message)) {
    return `TLS failed: the SMTP server's certificate is not trusted (${message}); a certificate from an internal CA can be trusted with SMTP_EXTRA_CA_FILE`;
  }
  if (originalCode === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number/i.test(message)) {
    return `TLS failed: the SMTP server did not answer with TLS; security "tls" needs a port that speaks TLS from the first byte (usually 465), "starttls" the submission port (usually 587) (${message})`;
  }
  if (/Error upgrading connection with STARTTLS/i.test(message)) {
    return `TLS failed: the SMTP server does not offer STARTTLS, and the settings require it; nothing was sent in clear text (${message})`;
  }
  return `TLS failed: ${message}`;
}

/** nodemailer's error (code, responseCode, permanent) as a MailError the application understands. */
function toMailError(error: unknown): MailError {
  if (error instanceof MailError) return error;
  const failure = error as { code?: string; originalCode?: string; responseCode?: number; permanent?: boolean; message?: string };
  const code = failure.code ?? '';
  const originalCode = failure.originalCode ?? '';
  let message = (failure.message ?? String(error)).replace(/\s+/g, ' ').slice(0, 500);
  let kind: MailFailureKind = 'other';
  if (code === 'EAUTH' || code === 'ENOAUTH') kind = 'auth';
  else if (code === 'ETIMEDOUT') kind = 'timeout';
  else if (isTlsFailure(code, originalCode)) {
    kind = 'tls';
    message = tlsFailureMessage(code, originalCode, message);
  } else if (CONNECTION_CODES.has(code) || ['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND'].includes(code)) kind = 'connection';
  else if (code === 'EENVELOPE' || code === 'EMESSAGE') kind = 'rejected';
  return new MailError(kind, message, {
    responseCode: typeof failure.responseCode === 'number' ? failure.responseCode : null,
    // Authentication is retried (the settings may be fixed meanwhile); a 5yz reply to the
    // envelope or the message itself would be refused again (RFC 5321 §4.2.1).
    isPermanent: kind === 'rejected' && failure.permanent === true,
    cause: error,
  });
}

/**
 * TLS options of every SMTP connection. The certificate is always verified against the host name
 * (there is deliberately no switch to skip that): `ca` is left to Node's default unless extra
 * certificates are configured, and then it is Node's root certificates plus those — setting `ca`
 * replaces the default list, so the roots must be named again.
 */
export function smtpTlsOptions(host: string, extraCa: readonly string[]): tls.ConnectionOptions {
  return {
    minVersion: 'TLSv1.2',
    rejectUnauthorized: true,
    ...(net.isIP(host) === 0 ? { servername: host } : {}),
    ...(extraCa.length > 0 ? { ca: [...tls.rootCertificates, ...extraCa] } : {}),
  };
}

/**
 * SMTP through each company's own server: one pooled nodemailer transport per company,
 * kept while its settings version stays the same and replaced when it changes. Every
 * wait has a timeout, so a silent server fails the attempt instead of hanging a worker.
 */
export function createSmtpMailer(options: SmtpMailerOptions): Mailer {
  const transports = new Map<string, CachedTransport>();
  const timeouts = {
    connectionTimeout: options.connectionTimeoutMs ?? 10_000,
    greetingTimeout: options.greetingTimeoutMs ?? 10_000,
    socketTimeout: options.socketTimeoutMs ?? 30_000,
  };
  const tlsOptionsFor = (settings: SmtpTransportSettings) => smtpTlsOptions(settings.host, options.extraCa ?? []);

  function transportFor(settings: SmtpTransportSettings): Transporter {
    const cached = transports.get(settings.key);
    if (cached && cached.version === settings.version) return cached.transporter;
    if (cached) cached.transporter.close();
    const transporter = nodemailer.createTransport({
      pool: true,
      maxConnections: options.maxConnections ?? 3,
      maxMessages: 100,
      maxRequeues: 1,
      host: settings.host,
      port: settings.port,
      secure: settings.security === 'tls',
      requireTLS: settings.security === 'starttls',
      ignoreTLS: settings.security === 'none',
      ...(settings.username ? { auth: { user: settings.username, pass: settings.password ?? '' } } : {}),
      tls: tlsOptionsFor(settings),
      ...timeouts,
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    transports.set(settings.key, { version: settings.version, transporter });
    return transporter;
  }

  function drop(key: string): void {
    const cached = transports.get(key);
    if (cached) {
      transports.delete(key);
      cached.transporter.close();
    }
  }

  return {
    async send(settings: SmtpTransportSettings, mail: OutgoingMail): Promise<MailSendResult> {
      const transporter = transportFor(settings);
      try {
        const info = await transporter.sendMail({
          from: mail.from.name ? { name: mail.from.name, address: mail.from.address } : mail.from.address,
          ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          messageId: mail.messageId,
          attachments: mail.attachments.map((attachment) => ({
            filename: attachment.filename,
            content: attachment.content,
            contentType: attachment.contentType,
          })),
        });
        if (info.rejected.length > 0) {
          throw new MailError('rejected', `The server refused the recipient: ${String(info.response)}`, { isPermanent: true });
        }
        return { messageId: info.messageId, response: String(info.response) };
      } catch (error) {
        const failure = toMailError(error);
        // A connection that failed to authenticate or broke is not reused for the next attempt.
        if (failure.kind !== 'rejected') drop(settings.key);
        options.logger.warn(
          { transport: settings.key, host: settings.host, port: settings.port, kind: failure.kind, responseCode: failure.responseCode },
          `SMTP send failed: ${failure.message}`,
        );
        throw failure;
      }
    },

    async verify(settings: SmtpTransportSettings): Promise<void> {
      // A throw-away, unpooled connection: a test of new settings must not disturb the pool.
      const transporter = nodemailer.createTransport({
        host: settings.host,
        port: settings.port,
        secure: settings.security === 'tls',
        requireTLS: settings.security === 'starttls',
        ignoreTLS: settings.security === 'none',
        ...(settings.username ? { auth: { user: settings.username, pass: settings.password ?? '' } } : {}),
        tls: tlsOptionsFor(settings),
        ...timeouts,
      });
      try {
        await transporter.verify();
      } catch (error) {
        throw toMailError(error);
      } finally {
        transporter.close();
      }
    },

    invalidate: drop,

    async close(): Promise<void> {
      for (const key of [...transports.keys()]) drop(key);
    },
  };
}
