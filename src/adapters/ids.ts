import { randomBytes } from 'node:crypto';
import type { Clock, IdGenerator } from '../app/ports.js';

/** Random bytes are drawn 4 KiB at a time (as node's own randomUUID does): one call per ~400 ids instead of two per id. */
const POOL_BYTES = 4096;

/** Two hex digits per byte value: an id is spelt from these, without a Buffer and its slices per id. */
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * UUIDv7 (RFC 9562 §5.7): 48-bit Unix milliseconds, then random bits, so ids
 * sort by creation time — keyset pagination and B-tree inserts both benefit.
 * Within one millisecond a counter keeps ids from one process increasing.
 */
export function createUuidV7Generator(clock: Clock): IdGenerator {
  let lastMs = 0;
  let sequence = 0;
  /** "tttttttt-tttt-" for lastMs. */
  let prefix = '';
  let pool = randomBytes(POOL_BYTES);
  let offset = 0;
  /** Where `length` fresh random bytes start in `pool` (each byte is used once). */
  const take = (length: number) => {
    if (offset + length > POOL_BYTES) {
      pool = randomBytes(POOL_BYTES);
      offset = 0;
    }
    const at = offset;
    offset += length;
    return at;
  };
  return {
    newId(): string {
      let ms = clock.now().getTime();
      if (ms <= lastMs) {
        ms = lastMs;
        sequence += 1;
        if (sequence > 0xfff) {
          ms = lastMs + 1;
          sequence = 0;
        }
      } else {
        const at = take(2);
        sequence = ((pool[at]! << 8) | pool[at + 1]!) & 0x7ff;
      }
      if (ms !== lastMs || prefix === '') {
        const hex = ms.toString(16).padStart(12, '0');
        prefix = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-`;
      }
      lastMs = ms;
      // Bytes 6–7: version 7 and the 12-bit counter; byte 8: variant 10 and 6 random bits; then 7 random bytes.
      const r = take(8);
      const p = pool;
      return (
        prefix +
        HEX[0x70 | ((sequence >> 8) & 0x0f)]! +
        HEX[sequence & 0xff]! +
        '-' +
        HEX[0x80 | (p[r]! & 0x3f)]! +
        HEX[p[r + 1]!]! +
        '-' +
        HEX[p[r + 2]!]! +
        HEX[p[r + 3]!]! +
        HEX[p[r + 4]!]! +
        HEX[p[r + 5]!]! +
        HEX[p[r + 6]!]! +
        HEX[p[r + 7]!]!
      );
    },
  };
}
