import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedDocument {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The status this request was answered with (or would have been, had the client still listened). */
  status: number;
}

/**
 * What to do with a request: accept it (as a provider that dedupes by `Idempotency-Key`: a
 * key it accepted before gets 200 and the same message id, and counts once), answer with a
 * status, or accept it but answer only after `delayMs` (the client may have given up by then).
 */
export type AccessPointDecision = { kind: 'accept'; delayMs?: number } | { kind: 'status'; status: number; body?: string };

export interface TestAccessPoint {
  url: string;
  /** Every request, in order, whatever it was answered. */
  requests: ReceivedDocument[];
  /** Documents the provider took responsibility for: one per idempotency key. */
  accepted: ReceivedDocument[];
  decide: (request: ReceivedDocument, index: number) => AccessPointDecision;
  /** Message id per accepted key. */
  messageIds: Map<string, string>;
  close(): Promise<void>;
}

/**
 * An access-point provider on loopback (node:http, port 0) that records what it receives:
 * method, path, headers and the exact body bytes.
 */
export async function startTestAccessPoint(): Promise<TestAccessPoint> {
  const state: TestAccessPoint = {
    url: '',
    requests: [],
    accepted: [],
    messageIds: new Map(),
    decide: () => ({ kind: 'accept' }),
    close: async () => {},
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const received: ReceivedDocument = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks),
        status: 0,
      };
      const index = state.requests.length;
      state.requests.push(received);
      const decision = state.decide(received, index);
      if (decision.kind === 'status') {
        received.status = decision.status;
        response.writeHead(decision.status, { 'content-type': 'text/plain' }).end(decision.body ?? '');
        return;
      }
      const key = String(request.headers['idempotency-key'] ?? `no-key-${index}`);
      let messageId = state.messageIds.get(key);
      const isRepeat = messageId !== undefined;
      if (!messageId) {
        messageId = `ap-msg-${state.messageIds.size + 1}`;
        state.messageIds.set(key, messageId);
        state.accepted.push(received);
      }
      received.status = isRepeat ? 200 : 202;
      const answer = () =>
        response
          .writeHead(received.status, { 'content-type': 'application/json' })
          .end(JSON.stringify({ messageId, status: isRepeat ? 'duplicate' : 'accepted' }));
      if (decision.delayMs) setTimeout(answer, decision.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}/outbound/ehf`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
