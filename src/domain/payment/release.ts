import { divideRounded, toSafeNumber } from '../rounding.js';

/** An allocation of an invoice, with what is still allocated (net of earlier releases). */
export interface LiveAllocation {
  id: string;
  paymentId: string;
  /** Allocated minus released, in the invoice currency. */
  netMinor: number;
  /** Its NOK on 1500, minus the NOK released. */
  netNokMinor: number;
}

export interface PlannedRelease {
  allocationId: string;
  paymentId: string;
  amountMinor: number;
  amountNokMinor: number;
}

/**
 * What a credit note releases from a paid invoice's allocations back to the payments (where it
 * becomes the customer's credit): the surplus paid + credited − payable, never more than is
 * paid. `allocations` newest first: the newest is released first. The NOK of a release is the
 * allocation's NOK in proportion (the whole of it when the allocation is emptied). For a
 * foreign-currency invoice `releasedNokTotal` is the NOK the releases must add up to so that the
 * invoice's receivable ends at exactly zero (it is settled afterwards); the rounding difference
 * goes on the last release (never below zero).
 */
export function planReleases(
  allocations: readonly LiveAllocation[],
  surplusMinor: number,
  releasedNokTotal: number | null,
): PlannedRelease[] {
  const releases: PlannedRelease[] = [];
  let remaining = surplusMinor;
  for (const allocation of allocations) {
    if (remaining <= 0) break;
    if (allocation.netMinor <= 0) continue;
    const take = Math.min(allocation.netMinor, remaining);
    const nok =
      take === allocation.netMinor
        ? allocation.netNokMinor
        : toSafeNumber(divideRounded(BigInt(allocation.netNokMinor) * BigInt(take), BigInt(allocation.netMinor)));
    releases.push({ allocationId: allocation.id, paymentId: allocation.paymentId, amountMinor: take, amountNokMinor: nok });
    remaining -= take;
  }
  if (releasedNokTotal !== null && releases.length > 0) {
    // The rounding difference of the allocations' NOK (each rounded on its own, maybe by øre
    // more than the part it settled) on the last release, never below zero.
    const last = releases[releases.length - 1]!;
    const others = releases.slice(0, -1).reduce((total, release) => total + release.amountNokMinor, 0);
    last.amountNokMinor = Math.max(0, releasedNokTotal - others);
  }
  return releases;
}
