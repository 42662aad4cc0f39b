import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** RCPT TO addresses of the SMTP envelope. */
  envelopeTo: string[];
  parsed: ParsedMail;
  raw: Buffer;
  /** Whether the session was TLS when the message arrived (implicit TLS or after STARTTLS). */
  secure: boolean;
}

/** What to do with a message once its DATA has arrived: answer 250, hold the answer, or refuse it. */
export type DataDecision = 'accept' | 'hold' | { rejectCode: number; message: string };

export interface TestSmtpServer {
  port: number;
  /** Messages answered with 250, in order. Held or refused ones are not here: the server never took them. */
  accepted: ReceivedMail[];
  /** Messages whose DATA arrived but whose answer is held back. */
  held: ReceivedMail[];
  authAttempts: Array<{ username: string; password: string; ok: boolean }>;
  /** Decides per message; `accept` by default. */
  decide: (mail: ReceivedMail) => DataDecision;
  /** Required log-in, or null for none. */
  credentials: { username: string; password: string } | null;
  /** Errors the server reported after it started, e.g. a client that broke off the TLS handshake. */
  errors: Error[];
  /** Waits until `accepted` has `count` messages. */
  waitForAccepted(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

/**
 * TLS of the test server: `implicit` speaks TLS from the first byte (like port 465), `starttls`
 * offers STARTTLS on a plain connection (like port 587). Without it the server is plain and does
 * not offer STARTTLS.
 */
export interface TestSmtpTls {
  mode: 'implicit' | 'starttls';
  key: string | Buffer;
  cert: string | Buffer;
}

/**
 * A real SMTP server on loopback (smtp-server, port 0) for tests: plain unless `tls` is given,
 * optional AUTH PLAIN/LOGIN checked against `credentials`, every message parsed with mailparser.
 */
export async function startTestSmtpServer(
  options: { credentials?: { username: string; password: string } | null; tls?: TestSmtpTls } = {},
): Promise<TestSmtpServer> {
  const state: TestSmtpServer = {
    port: 0,
    accepted: [],
    held: [],
    authAttempts: [],
    decide: () => 'accept',
    credentials: options.credentials ?? null,
    errors: [],
    async waitForAccepted(count, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      while (state.accepted.length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} accepted mails, got ${state.accepted.length}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return state.accepted;
    },
    close: async () => {},
  };
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    ...(options.tls
      ? { secure: options.tls.mode === 'implicit', key: options.tls.key, cert: options.tls.cert, minVersion: 'TLSv1.2' as const }
      : { disabledCommands: ['STARTTLS'] }),
    logger: false,
    size: 20 * 1024 * 1024,
    onAuth(auth, _session, callback) {
      const expected = state.credentials;
      const ok = expected !== null && auth.username === expected.username && auth.password === expected.password;
      state.authAttempts.push({ username: auth.username ?? '', password: auth.password ?? '', ok });
      if (!ok) {
        const error = new Error('Invalid username or password') as Error & { responseCode: number };
        error.responseCode = 535;
        return callback(error);
      }
      return callback(null, { user: auth.username });
    },
    onMailFrom(_address, session, callback) {
      if (state.credentials !== null && !session.user) {
        const error = new Error('Authentication required') as Error & { responseCode: number };
        error.responseCode = 530;
        return callback(error);
      }
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            const mail: ReceivedMail = {
              envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
              parsed,
              raw,
              secure: session.secure === true,
            };
            const decision = state.decide(mail);
            if (decision === 'hold') {
              // Never answered: the client waits, as for a server that stalls after the data.
              state.held.push(mail);
              return;
            }
            if (decision === 'accept') {
              state.accepted.push(mail);
              callback();
              return;
            }
            const error = new Error(decision.message) as Error & { responseCode: number };
            error.responseCode = decision.rejectCode;
            callback(error);
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  state.port = (server.server.address() as AddressInfo).port;
  // Without a listener such an error (a client refusing the certificate) would be an uncaught exception.
  server.on('error', (error) => state.errors.push(error));
  state.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Connections a killed client left open (a held DATA) would keep close() waiting.
      for (const connection of (server as unknown as { connections: Set<{ close(): void }> }).connections ?? []) connection.close();
    });
  return state;
}
