/**
 * The one place that talks HTTP to the Fakturaflyt API. Same-origin cookies carry
 * the session; every write echoes the session's CSRF token; failures arrive as
 * RFC 9457 problem JSON and become an ApiError that forms can read field by field.
 */

export interface FieldIssue {
  /** Dotted path of the failing field, e.g. `address.postalCode` or `company.orgNumber`. */
  path: string;
  /** Stable reason, e.g. `org_number.invalid`. */
  code: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  code: string;
  detail: string;
  errors?: FieldIssue[];
  retryAfterSeconds?: number;
  [extension: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly fieldErrors: FieldIssue[];
  readonly problem: Problem;

  constructor(status: number, problem: Problem) {
    super(problem.detail || problem.code);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code;
    this.detail = problem.detail;
    this.fieldErrors = problem.errors ?? [];
    this.problem = problem;
  }

  /** The first issue for a field path (exact match). */
  fieldError(path: string): FieldIssue | undefined {
    return this.fieldErrors.find((issue) => issue.path === path);
  }
}

/** Thrown (as an ApiError with this code) when the server could not be reached. */
export const NETWORK_ERROR_CODE = 'network.failed';

export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const UNSAFE: ReadonlySet<Method> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let csrfToken: string | null = null;
let unauthenticatedHandler: (() => void) | null = null;

/** Remember the CSRF token from the latest session response. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when an API call answers 401 auth.unauthenticated (the session ended). */
export function onUnauthenticated(handler: (() => void) | null): void {
  unauthenticatedHandler = handler;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') {
      params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function readProblem(response: Response): Promise<Problem> {
  return problemFromText(await response.text(), response.status, response.statusText);
}

function problemFromText(text: string, status: number, statusText: string): Problem {
  try {
    const parsed = JSON.parse(text) as Partial<Problem>;
    if (parsed && typeof parsed.code === 'string') {
      return { ...parsed, code: parsed.code, detail: typeof parsed.detail === 'string' ? parsed.detail : '' };
    }
  } catch {
    // not JSON: fall through
  }
  return { code: `http.${status}`, detail: text.slice(0, 200) || statusText, status };
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
}

export async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  if (UNSAFE.has(method) && csrfToken) {
    headers['x-csrf-token'] = csrfToken;
  }
  let response: Response;
  try {
    response = await fetch(withQuery(`/api/v1${path}`, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, { code: NETWORK_ERROR_CODE, detail: String(cause) });
  }
  if (!response.ok) {
    const problem = await readProblem(response);
    if (response.status === 401 && problem.code === 'auth.unauthenticated' && path !== '/auth/session') {
      unauthenticatedHandler?.();
    }
    throw new ApiError(response.status, problem);
  }
  if (response.status === 204) {
    return undefined as T;
  }
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const http = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) =>
    request<T>('GET', path, { ...(query ? { query } : {}), ...(signal ? { signal } : {}) }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body === undefined ? {} : { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

/** A validation failure found before sending, shaped like the API's so forms show it the same way. */
export function localValidationError(issues: FieldIssue[]): ApiError {
  return new ApiError(400, {
    code: 'validation.failed',
    detail: issues.map((issue) => issue.message).join(' '),
    errors: issues,
  });
}

/**
 * A request whose body or answer is not JSON (a logo upload, a PDF): the same
 * cookie, CSRF token and problem handling as `request`, the raw Response back.
 */
export async function requestRaw(
  method: Method,
  path: string,
  options: { body?: Blob | ArrayBuffer; contentType?: string; json?: unknown; signal?: AbortSignal } = {},
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  else if (options.contentType) headers['content-type'] = options.contentType;
  if (UNSAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.json !== undefined ? JSON.stringify(options.json) : (options.body ?? null),
      signal: options.signal ?? null,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, { code: NETWORK_ERROR_CODE, detail: String(cause) });
  }
  if (!response.ok) {
    const problem = await readProblem(response);
    if (response.status === 401 && problem.code === 'auth.unauthenticated') unauthenticatedHandler?.();
    throw new ApiError(response.status, problem);
  }
  return response;
}

export interface UploadProgress {
  /** Bytes sent so far. */
  loaded: number;
  /** Bytes in all (the file's size when the browser cannot tell). */
  total: number;
}

/**
 * Sends a file as the raw request body and reads a JSON answer, reporting the upload's
 * progress as it goes (XMLHttpRequest: fetch has no upload progress without streaming
 * bodies). The same cookie, CSRF token and problem handling as `request`.
 */
export function uploadWithProgress<T>(
  path: string,
  file: Blob,
  options: { query?: Query; contentType?: string; onProgress?(progress: UploadProgress): void; signal?: AbortSignal } = {},
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', withQuery(`/api/v1${path}`, options.query));
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('content-type', options.contentType ?? 'application/octet-stream');
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (event) => {
      options.onProgress?.({ loaded: event.loaded, total: event.lengthComputable ? event.total : file.size });
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve((xhr.responseText ? JSON.parse(xhr.responseText) : undefined) as T);
        } catch (cause) {
          reject(new ApiError(xhr.status, { code: `http.${xhr.status}`, detail: String(cause) }));
        }
        return;
      }
      const problem = problemFromText(xhr.responseText, xhr.status, xhr.statusText);
      if (xhr.status === 401 && problem.code === 'auth.unauthenticated') unauthenticatedHandler?.();
      reject(new ApiError(xhr.status, problem));
    };
    xhr.onerror = () => reject(new ApiError(0, { code: NETWORK_ERROR_CODE, detail: 'The upload failed' }));
    xhr.onabort = () => reject(new DOMException('The upload was aborted', 'AbortError'));
    if (options.signal) {
      if (options.signal.aborted) {
        reject(new DOMException('The upload was aborted', 'AbortError'));
        return;
      }
      options.signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    xhr.send(file);
  });
}
