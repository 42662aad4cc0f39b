import { createHash } from 'node:crypto';
import net from 'node:net';
import type { EmailSettingsRow } from '../db/schema.js';
import type { SecretBox, SmtpTransportSettings } from './ports.js';

/** Associated data of a sealed SMTP password: it opens only for its own company. */
export function smtpPasswordContext(companyId: string): string {
  return `smtp-password:${companyId}`;
}

/** Connection settings for the mailer, with the password opened. */
export function smtpTransportOf(row: EmailSettingsRow, secretBox: SecretBox): SmtpTransportSettings {
  return {
    key: row.company_id,
    version: createHash('sha256')
      .update([row.host, row.port, row.security, row.username ?? '', row.password_sealed ?? '', row.updated_at].join('\n'))
      .digest('base64url')
      .slice(0, 16),
    host: row.host,
    port: row.port,
    security: row.security,
    username: row.username,
    password: row.password_sealed ? secretBox.open(row.password_sealed, smtpPasswordContext(row.company_id)) : null,
  };
}

/**
 * The Message-ID of a delivery: its id at the sender's domain. The same delivery always gets
 * the same Message-ID, so a resend after a crash is recognisable as the same message.
 */
export function messageIdFor(deliveryId: string, fromAddress: string): string {
  const domain = fromAddress.split('@').at(-1)!.toLowerCase();
  return `<${deliveryId}@${domain}>`;
}

/**
 * Whether these settings may be used to send: plain SMTP (`none`) only to a loopback host unless
 * SMTP_ALLOW_INSECURE is on. Checked when settings are saved AND at every send, so settings saved
 * while the flag was on stop sending in clear once it is turned off.
 */
export function isTransportAllowed(settings: { security: string; host: string }, allowInsecureSmtp: boolean): boolean {
  return settings.security !== 'none' || allowInsecureSmtp || isLoopbackHost(settings.host);
}

export const INSECURE_NOT_ALLOWED_MESSAGE =
  'Plain SMTP without TLS is only allowed to a loopback host (SMTP_ALLOW_INSECURE is off); choose tls or starttls in the e-mail settings';

/** localhost, 127.0.0.0/8 and ::1: plain SMTP there never crosses a network. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (net.isIPv4(bare)) return bare.startsWith('127.');
  if (net.isIPv6(bare)) return bare === '::1' || bare === '0:0:0:0:0:0:0:1';
  return false;
}
