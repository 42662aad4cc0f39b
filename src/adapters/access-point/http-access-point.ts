import { AccessPointError, type AccessPointDocument, type AccessPointReceipt } from '../../app/ports.js';

export interface HttpAccessPointOptions {
  /** Limit for the whole exchange; keep it below the job lease (a stalled provider fails the attempt first). */
  timeoutMs: number;
}

/** What of a provider's answer is kept (in the delivery's error or response): enough to diagnose, never a whole page. */
const SNIPPET_CHARS = 300;
const MAX_BODY_BYTES = 64 * 1024;

function oneLine(text: string, limit = SNIPPET_CHARS): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, limit);
}

/** Reads at most MAX_BODY_BYTES of the answer (a provider's error page may be large). */
async function readBody(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
      if (size >= MAX_BODY_BYTES) break;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8');
}

/** The provider's id for the accepted message: a header, or a field of a JSON answer. */
function messageIdOf(response: Response, body: string): string | null {
  const header = response.headers.get('x-message-id') ?? response.headers.get('message-id');
  let id: unknown = header;
  if (!id && body.trim().startsWith('{')) {
    try {
      const parsed = JSON.parse(body) as Record<string, unknown>;
      id = parsed.messageId ?? parsed.message_id ?? parsed.id ?? null;
    } catch {
      id = null;
    }
  }
  if (typeof id === 'number') id = String(id);
  if (typeof id !== 'string') return null;
  const clean = id.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return clean === '' ? null : clean;
}

/** Why fetch failed without an answer (refused, reset, DNS, timeout), without the request's headers. */
function describeFailure(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'no answer in time (timeout)';
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${oneLine(cause.message, 120)})` : ''}`;
  return oneLine(error instanceof Error ? error.message : String(error), 200);
}

/**
 * POSTs an EHF document to an access-point provider: `Content-Type: application/xml`,
 * `Authorization: Bearer <token>`, and the delivery key as both `Idempotency-Key` and
 * `X-Delivery-Key`, the same on every attempt, so a provider that saw the document already
 * can answer without sending it on again. The outcome decides what the job does next:
 *
 * - 2xx: accepted; the provider's message id (header `X-Message-Id`, or `messageId`/`id`
 *   in a JSON answer) is recorded;
 * - 408, 429, 5xx, a timeout or no connection: temporary, retried with back-off;
 * - any other 4xx, or a redirect (not followed: a POST with a token is not re-sent to
 *   wherever a Location points): permanent, the delivery goes dead with the answer shown.
 */
export function createHttpAccessPoint(options: HttpAccessPointOptions) {
  return async function deliverOverHttp(target: { url: string; token: string }, document: AccessPointDocument): Promise<AccessPointReceipt> {
    let response: Response;
    try {
      response = await fetch(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/xml',
          authorization: `Bearer ${target.token}`,
          'idempotency-key': document.deliveryKey,
          'x-delivery-key': document.deliveryKey,
          accept: 'application/json, text/plain;q=0.9, */*;q=0.1',
        },
        body: Buffer.from(document.xml, 'utf8'),
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      // Whatever the failure says, the token never leaves here (it ends up in logs and the delivery's error).
      const reason = describeFailure(error).split(target.token).join('[token]');
      throw new AccessPointError(`Could not deliver to the access point: ${reason}`);
    }
    let body: string;
    try {
      body = await readBody(response);
    } catch (error) {
      // The status line arrived, the body did not: treat a success as unconfirmed and retry (the key dedupes).
      throw new AccessPointError(`The access point's answer broke off (HTTP ${response.status}): ${describeFailure(error)}`, { cause: error });
    }
    const status = response.status;
    if (status >= 200 && status < 300) {
      return { messageId: messageIdOf(response, body), response: oneLine(`HTTP ${status} ${body}`) };
    }
    const answer = oneLine(body);
    const detail = `HTTP ${status}${answer ? `: ${answer}` : ''}`;
    if (status >= 300 && status < 400) {
      const location = response.headers.get('location');
      throw new AccessPointError(
        `The access point answered with a redirect (${detail}${location ? `, Location ${oneLine(location, 200)}` : ''}); set its final URL`,
        { isPermanent: true, status },
      );
    }
    if (status === 408 || status === 429 || status >= 500) {
      throw new AccessPointError(`The access point is unavailable (${detail})`, { status });
    }
    throw new AccessPointError(`The access point refused the document (${detail})`, { isPermanent: true, status });
  };
}
