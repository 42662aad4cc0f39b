import { describe, expect, it } from 'vitest';
import { fixedClock } from './clock.js';
import { createUuidV7Generator } from './ids.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The 48-bit Unix-millisecond timestamp in the first 12 hex digits (RFC 9562 §5.7). */
function timestampOf(id: string): number {
  return Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}

/** The 12-bit rand_a field (after the version nibble), which this generator uses as a counter. */
function counterOf(id: string): number {
  return Number.parseInt(id.replace(/-/g, '').slice(13, 16), 16);
}

function expectStrictlyIncreasing(ids: string[]): void {
  for (let i = 1; i < ids.length; i++) {
    if (!(ids[i - 1]! < ids[i]!)) {
      expect.fail(`id #${i} ${ids[i]} is not greater than id #${i - 1} ${ids[i - 1]}`);
    }
  }
}

const START = '2025-03-01T09:00:00.000Z';
const START_MS = Date.parse(START);

describe('createUuidV7Generator', () => {
  it.each([
    ['2025-03-01T09:00:00.000Z'],
    ['1970-01-01T00:00:00.001Z'],
    ['2100-12-31T23:59:59.999Z'],
  ])('produces an RFC 9562 version-7, variant-10 UUID at %s', (start) => {
    const ids = createUuidV7Generator(fixedClock(start));
    for (let i = 0; i < 50; i++) {
      const id = ids.newId();
      expect(id).toMatch(UUID_V7);
      const bytes = Buffer.from(id.replace(/-/g, ''), 'hex');
      expect(bytes).toHaveLength(16);
      expect(bytes[6]! >> 4).toBe(0x7); // version
      expect(bytes[8]! >> 6).toBe(0b10); // variant
    }
  });

  it('puts the clock time in the 48-bit timestamp field', () => {
    const clock = fixedClock(START);
    const ids = createUuidV7Generator(clock);
    expect(timestampOf(ids.newId())).toBe(START_MS);
    clock.advance(1234);
    expect(timestampOf(ids.newId())).toBe(START_MS + 1234);
  });

  it('produces distinct ids', () => {
    const ids = createUuidV7Generator(fixedClock(START));
    const generated = Array.from({ length: 5000 }, () => ids.newId());
    expect(new Set(generated).size).toBe(generated.length);
  });

  it('keeps ids strictly increasing for many ids in the same millisecond', () => {
    const ids = createUuidV7Generator(fixedClock(START));
    // More than the 12-bit counter holds, so the counter must overflow into the next millisecond.
    const generated = Array.from({ length: 10_000 }, () => ids.newId());
    expectStrictlyIncreasing(generated);
    expect(timestampOf(generated[0]!)).toBe(START_MS);
    // Counter overflow borrows at most a few milliseconds; it never goes back.
    const last = timestampOf(generated.at(-1)!);
    expect(last).toBeGreaterThan(START_MS);
    expect(last).toBeLessThanOrEqual(START_MS + Math.ceil(10_000 / 0x800));
  });

  it('increments the counter by one within a millisecond', () => {
    const ids = createUuidV7Generator(fixedClock(START));
    const first = ids.newId();
    const second = ids.newId();
    expect(timestampOf(second)).toBe(timestampOf(first));
    expect(counterOf(second)).toBe(counterOf(first) + 1);
  });

  it('keeps ids strictly increasing when the clock goes backwards', () => {
    const clock = fixedClock(START);
    const ids = createUuidV7Generator(clock);
    const generated: string[] = [];
    for (let i = 0; i < 20; i++) {
      generated.push(ids.newId());
    }
    clock.advance(-5_000);
    for (let i = 0; i < 20; i++) {
      generated.push(ids.newId());
    }
    clock.set('2020-01-01T00:00:00.000Z');
    for (let i = 0; i < 20; i++) {
      generated.push(ids.newId());
    }
    expectStrictlyIncreasing(generated);
    // The timestamp never moves back with the clock.
    expect(generated.every((id) => timestampOf(id) >= START_MS)).toBe(true);
  });

  it('keeps ids strictly increasing over a clock that jitters back and forth', () => {
    const clock = fixedClock(START);
    const ids = createUuidV7Generator(clock);
    const steps = [0, 1, 0, -1, -3, 2, 5, -10, 0, 1, 1, -2, 7, 0, -7, 3];
    const generated: string[] = [];
    for (let round = 0; round < 50; round++) {
      for (const step of steps) {
        clock.advance(step);
        generated.push(ids.newId());
        generated.push(ids.newId());
      }
    }
    expectStrictlyIncreasing(generated);
  });

  it('resumes the real clock time once the clock passes the last timestamp used', () => {
    const clock = fixedClock(START);
    const ids = createUuidV7Generator(clock);
    const before = ids.newId();
    clock.advance(-60_000);
    const during = ids.newId();
    expect(timestampOf(during)).toBe(START_MS);
    clock.set(new Date(START_MS + 1));
    const after = ids.newId();
    expect(timestampOf(after)).toBe(START_MS + 1);
    expectStrictlyIncreasing([before, during, after]);
  });

  it('keeps increasing after counter overflow once the clock reaches the borrowed millisecond', () => {
    const clock = fixedClock(START);
    const ids = createUuidV7Generator(clock);
    const generated = Array.from({ length: 4_200 }, () => ids.newId());
    const borrowed = timestampOf(generated.at(-1)!);
    expect(borrowed).toBeGreaterThan(START_MS);
    clock.set(new Date(borrowed));
    generated.push(ids.newId(), ids.newId());
    clock.advance(1);
    generated.push(ids.newId(), ids.newId());
    expectStrictlyIncreasing(generated);
  });
});
