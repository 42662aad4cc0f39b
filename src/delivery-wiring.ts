import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { createAccessPoint } from './adapters/access-point/access-point.js';
import { resolveEncryptionKey } from './adapters/encryption-key.js';
import { readExtraCaFile } from './adapters/mail/extra-ca.js';
import { createSmtpMailer } from './adapters/mail/smtp-mailer.js';
import { createSecretBox } from './adapters/secret-box.js';
import { createDeliverySendHandler } from './app/delivery-send.handler.js';
import { createDeliveryService } from './app/delivery.service.js';
import { createEhfDeliveryPreparer, createEhfDeliverySender } from './app/ehf-delivery.js';
import { createEhfSettingsService } from './app/ehf-settings.service.js';
import type { EhfService } from './app/ehf.service.js';
import { createEmailSettingsService } from './app/email-settings.service.js';
import type { JobHandler } from './app/jobs/job.js';
import { createJobRunner, type JobRunner, type JobRunnerOptions } from './app/jobs/job-runner.js';
import type { AccessPoint, Clock, DocumentPdfSource, IdGenerator, Logger, Mailer, SecretBox } from './app/ports.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';

export interface DeliveryOverrides {
  logger?: Logger;
  mailer?: Mailer;
  pdfs?: DocumentPdfSource;
  /** Job runner settings beyond the configuration (tests: short leases, fixed jitter). */
  jobs?: Partial<JobRunnerOptions>;
  /** Attempts per delivery (the job definition's 8 by default). */
  deliveryMaxAttempts?: number;
  /** SMTP timeouts in ms (tests shorten them). */
  smtpTimeoutMs?: number;
  /** The EHF access-point adapter (HTTP provider or folder). */
  accessPoint?: AccessPoint;
  /** Limit for one POST to an HTTP access point, in ms (30 s; below the job lease). */
  accessPointTimeoutMs?: number;
}

/** `host:pid:random` — what a claim records as its lease owner. */
export function newWorkerId(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/**
 * Wires e-mail and EHF delivery and the job runner to real adapters: the SecretBox with the
 * configured (or, on SQLite, generated) key, nodemailer, the PDF archive and the access point.
 */
export function wireDelivery(deps: {
  config: Config;
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  pdfs: DocumentPdfSource;
  /** The archived EHF that channel `ehf` hands over. */
  ehf: Pick<EhfService, 'exportEhf'>;
  overrides: DeliveryOverrides;
  extraHandlers?: ReadonlyArray<JobHandler<unknown>>;
}) {
  const { config, db, clock, ids, logger, overrides } = deps;
  const secretBox: SecretBox = createSecretBox(
    resolveEncryptionKey({ configuredKey: config.ENCRYPTION_KEY, databaseUrl: config.DATABASE_URL, dialect: db.dialect }, logger),
  );
  // A stalled server fails the attempt after these; the lease meanwhile stays renewed by the heartbeat.
  const mailer =
    overrides.mailer ??
    createSmtpMailer({
      logger,
      connectionTimeoutMs: overrides.smtpTimeoutMs ?? 10_000,
      greetingTimeoutMs: overrides.smtpTimeoutMs ?? 10_000,
      socketTimeoutMs: overrides.smtpTimeoutMs ?? 30_000,
      // Read once here, at start-up: an unreadable file stops `serve`/`worker` with the reason.
      ...(config.SMTP_EXTRA_CA_FILE ? { extraCa: readExtraCaFile(config.SMTP_EXTRA_CA_FILE) } : {}),
    });
  const pdfs = overrides.pdfs ?? deps.pdfs;
  const accessPoint = overrides.accessPoint ?? createAccessPoint({ httpTimeoutMs: overrides.accessPointTimeoutMs ?? 30_000 });
  let jobs: JobRunner | undefined;
  const emailSettings = createEmailSettingsService({ db, clock, ids, secretBox, mailer, allowInsecureSmtp: config.SMTP_ALLOW_INSECURE });
  const ehfSettings = createEhfSettingsService({ db, clock, ids, secretBox, accessPoint });
  const ehfSender = createEhfDeliverySender({ db, clock, ids, secretBox, accessPoint, ehf: deps.ehf, logger });
  const deliveries = createDeliveryService({
    db,
    clock,
    ids,
    ehf: createEhfDeliveryPreparer({ db, ehf: deps.ehf }),
    onEnqueued: () => jobs?.wake(),
    ...(overrides.deliveryMaxAttempts ? { maxAttempts: overrides.deliveryMaxAttempts } : {}),
  });
  jobs = createJobRunner({
    db,
    clock,
    logger,
    handlers: [createDeliverySendHandler({ db, clock, ids, secretBox, mailer, pdfs, logger, ehf: ehfSender, allowInsecureSmtp: config.SMTP_ALLOW_INSECURE }), ...(deps.extraHandlers ?? [])],
    options: {
      workerId: newWorkerId(),
      concurrency: config.JOBS_CONCURRENCY,
      pollIntervalMs: config.JOBS_POLL_INTERVAL_MS,
      leaseMs: config.JOBS_LEASE_SECONDS * 1000,
      ...overrides.jobs,
    },
  });
  return { secretBox, mailer, emailSettings, ehfSettings, deliveries, jobs };
}
