import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../app/ports.js';
import type { Db } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import {
  completeIdempotencyKey,
  deleteIdempotencyKeysBefore,
  findIdempotencyRecord,
  releaseIdempotencyKey,
  reserveIdempotencyKey,
} from '../db/repositories/idempotency.repository.js';
import { AppError } from '../domain/errors.js';

/** Keys are kept for 24 hours, like Stripe's. */
const RETENTION_MS = 24 * 3600 * 1000;
/** A reservation whose request never finished (crashed instance) may be taken over after this. */
const STALE_PENDING_MS = 60 * 1000;

export interface IdempotencyStore {
  /** Returns true when a stored response was replayed and the handler must not run. */
  begin(request: FastifyRequest, reply: FastifyReply, scope: string): Promise<boolean>;
  finish(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<void>;
}

function requestHash(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex');
}

/**
 * `Idempotency-Key` for POST: the first response (status and body) is stored
 * under (caller, key) and returned again for a repeat, so a retried request
 * creates nothing new. The same key with another request is refused; a repeat
 * while the first is still running gets 409. Works across app instances because
 * the reservation is a row with a primary key.
 */
export function createIdempotencyStore(deps: { db: Db; clock: Clock }): IdempotencyStore {
  const { db, clock } = deps;
  let lastPurge = 0;

  return {
    async begin(request, reply, scope) {
      request.idempotency = null;
      const key = request.headers['idempotency-key'];
      if (request.method !== 'POST' || key === undefined) {
        return false;
      }
      if (typeof key !== 'string' || key.length < 1 || key.length > 255) {
        throw new AppError('validation.failed', 'Invalid Idempotency-Key header', {
          issues: [{ path: 'Idempotency-Key', code: 'idempotency_key.invalid', message: '1 to 255 characters' }],
        });
      }
      const now = clock.now();
      if (now.getTime() - lastPurge > 3600_000) {
        lastPurge = now.getTime();
        await deleteIdempotencyKeysBefore(db.kysely, new Date(now.getTime() - RETENTION_MS).toISOString());
      }
      const hash = requestHash(request);
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          await reserveIdempotencyKey(db.kysely, { scope, key, requestHash: hash, createdAt: now.toISOString() });
          request.idempotency = { scope, key };
          return false;
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
        }
        const existing = await findIdempotencyRecord(db.kysely, scope, key);
        if (!existing) continue;
        if (existing.request_hash !== hash) {
          throw new AppError('idempotency.key_reused', 'This Idempotency-Key was used for a different request');
        }
        if (existing.status === 'done' && existing.response_status !== null) {
          await reply
            .code(existing.response_status)
            .header('idempotent-replayed', 'true')
            .type(existing.response_status >= 400 ? 'application/problem+json' : 'application/json')
            .send(existing.response_body ?? '');
          return true;
        }
        if (now.getTime() - new Date(existing.created_at).getTime() > STALE_PENDING_MS) {
          await releaseIdempotencyKey(db.kysely, scope, key);
          continue;
        }
        throw new AppError('idempotency.in_progress', 'A request with this Idempotency-Key is still running');
      }
      throw new AppError('idempotency.in_progress', 'A request with this Idempotency-Key is still running');
    },

    async finish(request, reply, payload) {
      const reservation = request.idempotency;
      if (!reservation) return;
      request.idempotency = null;
      if (reply.statusCode >= 500) {
        // A server error is not an answer: let the client retry with the same key.
        await releaseIdempotencyKey(db.kysely, reservation.scope, reservation.key);
        return;
      }
      const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
      await completeIdempotencyKey(db.kysely, reservation.scope, reservation.key, {
        status: reply.statusCode,
        body,
      });
    },
  };
}
