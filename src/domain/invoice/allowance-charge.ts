import { divideRounded, toSafeNumber } from '../rounding.js';
import { effectiveVat } from './invoice-totals.js';

/**
 * Document-level allowances (rabatt) and charges (gebyr, frakt) — EN 16931 BG-20/BG-21.
 * Each has one VAT code; its amount lowers (allowance) or raises (charge) the taxable amount of
 * that code before VAT is computed (BR-CO-17 applies to the code's sum). An amount is given in
 * øre, or as a percentage of the base: the sum of the item lines' nets with the same effective
 * VAT code, rounded once, half away from zero (the rounding module).
 */

/** UNCL 5189 subset allowed for allowance reason codes (EN 16931 BR-CL-19, Peppol CL002). */
export const ALLOWANCE_REASON_CODES = [
  '41', '42', '60', '62', '63', '64', '65', '66', '67', '68', '70', '71', '88', '95', '100', '102', '103', '104', '105',
] as const;

/** UNCL 7161 charge reason codes (EN 16931 BR-CL-20, Peppol CL003). */
export const CHARGE_REASON_CODES = (
  'AA AAA AAC AAD AAE AAF AAH AAI AAS AAT AAV AAY AAZ ABA ABB ABC ABD ABF ABK ABL ABN ABR ABS ABT ABU ACF ACG ACH ACI ' +
  'ACJ ACK ACL ACM ACS ADC ADE ADJ ADK ADL ADM ADN ADO ADP ADQ ADR ADT ADW ADY ADZ AEA AEB AEC AED AEF AEH AEI AEJ AEK ' +
  'AEL AEM AEN AEO AEP AES AET AEU AEV AEW AEX AEY AEZ AJ AU CA CAB CAD CAE CAF CAI CAJ CAK CAL CAM CAN CAO CAP CAQ CAR ' +
  'CAS CAT CAU CAV CAW CAX CAY CAZ CD CG CS CT DAB DAC DAD DAF DAG DAH DAI DAJ DAK DAL DAM DAN DAO DAP DAQ DL EG EP ER ' +
  'FAA FAB FAC FC FH FI GAA HAA HD HH IAA IAB ID IF IR IS KO L1 LA LAA LAB LF MAE MI ML NAA OA PA PAA PC PL PRV RAB ' +
  'RAC RAD RAF RE RF RH RV SA SAA SAD SAE SAI SG SH SM SU TAB TAC TT TV V1 V2 WH XAA YY ZZZ'
).split(' ');

export type AllowanceChargeType = 'allowance' | 'charge';

export function isReasonCodeFor(type: AllowanceChargeType, code: string): boolean {
  return type === 'allowance'
    ? (ALLOWANCE_REASON_CODES as readonly string[]).includes(code)
    : CHARGE_REASON_CODES.includes(code);
}

/**
 * The base of a percentage allowance or charge per effective VAT code: the sum of the item
 * lines' nets of that code.
 */
export function allowanceChargeBases(
  items: ReadonlyArray<{ netMinor: number; vatCode: string }>,
  isVatRegistered: boolean,
): Map<string, number> {
  const bases = new Map<string, number>();
  for (const item of items) {
    const code = effectiveVat(item.vatCode, isVatRegistered).vatCode;
    bases.set(code, (bases.get(code) ?? 0) + item.netMinor);
  }
  return bases;
}

/**
 * The amount in øre (positive) of a percentage allowance or charge: base × percent, rounded once.
 *
 * @example percentageAmountMinor(12_345, 1_000) // 1235 (10 % of 123.45 = 12.345 → 12.35)
 */
export function percentageAmountMinor(baseMinor: number, percentBasisPoints: number): number {
  return toSafeNumber(divideRounded(BigInt(baseMinor) * BigInt(percentBasisPoints), 10_000n));
}

/** The signed net of an allowance (negative) or charge (positive) of `amountMinor` øre. */
export function signedNetMinor(type: AllowanceChargeType, amountMinor: number): number {
  return type === 'allowance' ? -amountMinor : amountMinor;
}
