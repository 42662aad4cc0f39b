/**
 * Every failure the application reports on purpose carries a stable `code`.
 * HTTP status codes live only at the edge (src/http/error-handler.ts).
 */
export type ErrorCode =
  | 'validation.failed'
  | 'request.too_large'
  | 'request.unsupported_media_type'
  | 'auth.unauthenticated'
  | 'auth.invalid_credentials'
  | 'auth.too_many_attempts'
  | 'auth.csrf_failed'
  | 'auth.forbidden'
  | 'auth.no_company'
  | 'auth.api_key_invalid'
  | 'company.not_found'
  | 'company.org_number_taken'
  | 'onboarding.already_done'
  | 'user.not_found'
  | 'user.email_taken'
  | 'membership.not_found'
  | 'membership.exists'
  | 'membership.last_owner'
  | 'membership.role_not_allowed'
  | 'api_key.not_found'
  | 'customer.not_found'
  | 'customer.number_taken'
  | 'product.not_found'
  | 'product.number_taken'
  | 'invoice.not_found'
  | 'payment.not_found'
  | 'bank_import.rejected'
  | 'bank_import.not_found'
  | 'bank_transaction.not_found'
  | 'bank_transaction.not_waiting'
  | 'bank_transaction.is_reversal'
  | 'bank_transaction.not_reversal'
  | 'bank_transaction.amount_mismatch'
  | 'payment.already_reversed'
  | 'payment.has_refunds'
  | 'invoice.not_draft'
  | 'invoice.not_issued'
  | 'invoice.incomplete'
  | 'invoice.kid_too_long'
  | 'credit_note.nothing_to_credit'
  | 'credit_note.exceeds_invoice'
  | 'credit_note.not_positive'
  | 'ehf.not_representable'
  | 'ehf.access_point_not_configured'
  | 'company.live_series_started'
  | 'email.not_configured'
  | 'email.connection_failed'
  | 'email.tls_failed'
  | 'email.insecure_not_allowed'
  | 'email.auth_failed'
  | 'email.rejected'
  | 'delivery.not_found'
  | 'delivery.no_recipient'
  | 'delivery.in_progress'
  | 'delivery.test_recipient_not_allowed'
  | 'bulk.not_found'
  | 'bulk.not_ready'
  | 'bulk.not_downloadable'
  | 'idempotency.key_reused'
  | 'idempotency.in_progress'
  | 'resource.not_found'
  | 'internal';

export interface FieldIssue {
  /** Dotted path of the failing field, e.g. `address.postalCode`. */
  path: string;
  /** Stable machine-readable reason, e.g. `org_number.invalid`. */
  code: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  readonly issues: FieldIssue[] | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; issues?: FieldIssue[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
    this.issues = options.issues;
  }
}

export function validationError(issues: FieldIssue[]): AppError {
  return new AppError('validation.failed', 'The request is not valid', { issues });
}

export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}
