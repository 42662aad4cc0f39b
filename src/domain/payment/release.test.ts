import { describe, expect, it } from 'vitest';
import { planReleases } from './release.js';

describe('planReleases', () => {
  const a = { id: 'a2', paymentId: 'p2', netMinor: 30000, netNokMinor: 30000 };
  const b = { id: 'a1', paymentId: 'p1', netMinor: 50000, netNokMinor: 50000 };

  it('releases the newest allocation first, then the next', () => {
    expect(planReleases([a, b], 40000, null)).toEqual([
      { allocationId: 'a2', paymentId: 'p2', amountMinor: 30000, amountNokMinor: 30000 },
      { allocationId: 'a1', paymentId: 'p1', amountMinor: 10000, amountNokMinor: 10000 },
    ]);
  });

  it('skips emptied allocations and releases nothing for no surplus', () => {
    expect(planReleases([{ ...a, netMinor: 0, netNokMinor: 0 }, b], 100, null)).toEqual([{ allocationId: 'a1', paymentId: 'p1', amountMinor: 100, amountNokMinor: 100 }]);
    expect(planReleases([a, b], 0, null)).toEqual([]);
  });

  it('takes NOK in proportion, and puts the foreign-currency rounding on the last release', () => {
    const eur = { id: 'e', paymentId: 'p', netMinor: 3, netNokMinor: 35 };
    expect(planReleases([eur], 1, null)).toEqual([{ allocationId: 'e', paymentId: 'p', amountMinor: 1, amountNokMinor: 12 }]);
    expect(planReleases([eur], 1, 11)[0]!.amountNokMinor).toBe(11);
    // An øre beyond what the allocation holds (another allocation cleared an øre too much), never below zero.
    expect(planReleases([{ ...eur, netMinor: 1, netNokMinor: 11 }], 1, 12)[0]!.amountNokMinor).toBe(12);
    expect(planReleases([eur], 1, -5)[0]!.amountNokMinor).toBe(0);
  });
});
