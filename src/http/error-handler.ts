import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type ErrorCode, type FieldIssue } from '../domain/errors.js';

/** The one table that maps application error codes to HTTP status codes. */
const STATUS_BY_CODE: Record<ErrorCode, number> = {
  'validation.failed': 400,
  'request.too_large': 413,
  'request.unsupported_media_type': 415,
  'auth.unauthenticated': 401,
  'auth.invalid_credentials': 401,
  'auth.api_key_invalid': 401,
  'auth.too_many_attempts': 429,
  'auth.csrf_failed': 403,
  'auth.forbidden': 403,
  'auth.no_company': 403,
  'company.not_found': 404,
  'company.org_number_taken': 409,
  'onboarding.already_done': 409,
  'user.not_found': 404,
  'user.email_taken': 409,
  'membership.not_found': 404,
  'membership.exists': 409,
  'membership.last_owner': 409,
  'membership.role_not_allowed': 403,
  'api_key.not_found': 404,
  'customer.not_found': 404,
  'customer.number_taken': 409,
  'product.not_found': 404,
  'product.number_taken': 409,
  'invoice.not_found': 404,
  'payment.not_found': 404,
  'bank_import.rejected': 422,
  'bank_import.not_found': 404,
  'bank_transaction.not_found': 404,
  'bank_transaction.not_waiting': 409,
  'bank_transaction.is_reversal': 409,
  'bank_transaction.not_reversal': 409,
  'bank_transaction.amount_mismatch': 422,
  'payment.already_reversed': 409,
  'payment.has_refunds': 409,
  'invoice.not_draft': 409,
  'invoice.not_issued': 409,
  'invoice.incomplete': 422,
  'invoice.kid_too_long': 409,
  'credit_note.nothing_to_credit': 409,
  'credit_note.exceeds_invoice': 422,
  'credit_note.not_positive': 422,
  'ehf.not_representable': 422,
  'ehf.access_point_not_configured': 422,
  'company.live_series_started': 409,
  'email.not_configured': 422,
  'email.connection_failed': 502,
  'email.tls_failed': 502,
  'email.insecure_not_allowed': 422,
  'email.auth_failed': 422,
  'email.rejected': 422,
  'delivery.not_found': 404,
  'delivery.no_recipient': 422,
  'delivery.in_progress': 409,
  'delivery.test_recipient_not_allowed': 422,
  'bulk.not_found': 404,
  'bulk.not_ready': 409,
  'bulk.not_downloadable': 409,
  'idempotency.key_reused': 422,
  'idempotency.in_progress': 409,
  'resource.not_found': 404,
  internal: 500,
};

const TITLES: Partial<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
};

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  instance: string;
  errors?: Array<FieldIssue & { in?: string }>;
  [extension: string]: unknown;
}

export function statusForCode(code: ErrorCode): number {
  return STATUS_BY_CODE[code];
}

/** RFC 9457 problem details with our stable `code` and, for validation, the failing fields. */
export function toProblem(
  request: FastifyRequest,
  code: ErrorCode,
  detail: string,
  extra: Partial<ProblemDetails> = {},
): ProblemDetails {
  const status = STATUS_BY_CODE[code];
  return {
    type: `https://fakturaflyt.no/problems/${code.replace(/[._]/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    detail,
    instance: request.url.split('?')[0]!,
    ...extra,
  };
}

export function sendProblem(reply: FastifyReply, problem: ProblemDetails): FastifyReply {
  return reply.code(problem.status).type('application/problem+json').send(problem);
}

interface ZodValidationEntry {
  keyword: string;
  instancePath: string;
  message?: string;
  params?: { keys?: string[]; params?: { code?: string } };
}

function zodIssuesToFieldIssues(entries: ZodValidationEntry[], location: string | undefined): FieldIssue[] {
  const issues: Array<FieldIssue & { in?: string }> = [];
  for (const entry of entries) {
    const base = entry.instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
    const where = location ? { in: location } : {};
    if (entry.keyword === 'unrecognized_keys' && entry.params?.keys) {
      for (const key of entry.params.keys) {
        issues.push({ path: base ? `${base}.${key}` : key, code: 'unrecognized_key', message: 'Unknown field', ...where });
      }
      continue;
    }
    const code = entry.keyword === 'custom' ? (entry.params?.params?.code ?? 'invalid') : entry.keyword;
    issues.push({ path: base, code, message: entry.message ?? 'Invalid value', ...where });
  }
  return issues;
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      const extra: Partial<ProblemDetails> = {};
      if (error.issues) extra.errors = error.issues;
      if (error.details) Object.assign(extra, error.details);
      if (error.code === 'auth.too_many_attempts' && typeof error.details?.retryAfterSeconds === 'number') {
        void reply.header('retry-after', String(error.details.retryAfterSeconds));
      }
      if (STATUS_BY_CODE[error.code] >= 500) {
        request.log.error({ err: error }, 'application error');
      }
      return sendProblem(reply, toProblem(request, error.code, error.message, extra));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = zodIssuesToFieldIssues(
        error.validation as unknown as ZodValidationEntry[],
        (error as { validationContext?: string }).validationContext,
      );
      return sendProblem(
        reply,
        toProblem(request, 'validation.failed', `Invalid ${errors.map((issue) => issue.path || '(body)').join(', ')}`, {
          errors,
        }),
      );
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendProblem(reply, toProblem(request, 'request.too_large', 'The request body is too large'));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendProblem(
          reply,
          toProblem(request, 'request.unsupported_media_type', 'Send JSON with Content-Type: application/json'),
        );
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendProblem(
          reply,
          toProblem(request, 'validation.failed', 'The body is not valid JSON', {
            errors: [{ path: '', code: 'json.invalid', message: error.message, in: 'body' }],
          }),
        );
      default:
        break;
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return sendProblem(
        reply,
        toProblem(request, 'validation.failed', error.message, {
          errors: [{ path: '', code: String(error.code ?? 'invalid'), message: error.message }],
        }),
      );
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, toProblem(request, 'internal', 'Something went wrong; the error has been logged'));
  });
}
