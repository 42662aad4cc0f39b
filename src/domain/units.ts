/**
 * Units of measure as UN/ECE Recommendation 20 codes (what EHF requires), with
 * Norwegian and English labels for documents and the UI.
 */
export interface UnitOfMeasure {
  code: string;
  labelNb: string;
  labelEn: string;
}

export const UNITS: readonly UnitOfMeasure[] = [
  { code: 'C62', labelNb: 'stk', labelEn: 'pcs' },
  { code: 'HUR', labelNb: 'timer', labelEn: 'hours' },
  { code: 'MIN', labelNb: 'minutter', labelEn: 'minutes' },
  { code: 'DAY', labelNb: 'dager', labelEn: 'days' },
  { code: 'WEE', labelNb: 'uker', labelEn: 'weeks' },
  { code: 'MON', labelNb: 'måneder', labelEn: 'months' },
  { code: 'ANN', labelNb: 'år', labelEn: 'years' },
  { code: 'KGM', labelNb: 'kg', labelEn: 'kg' },
  { code: 'GRM', labelNb: 'g', labelEn: 'g' },
  { code: 'TNE', labelNb: 'tonn', labelEn: 'tonnes' },
  { code: 'LTR', labelNb: 'liter', labelEn: 'litres' },
  { code: 'MTR', labelNb: 'meter', labelEn: 'metres' },
  { code: 'MTK', labelNb: 'm²', labelEn: 'm²' },
  { code: 'MTQ', labelNb: 'm³', labelEn: 'm³' },
  { code: 'KMT', labelNb: 'km', labelEn: 'km' },
  { code: 'KWH', labelNb: 'kWh', labelEn: 'kWh' },
  { code: 'SET', labelNb: 'sett', labelEn: 'sets' },
  { code: 'PK', labelNb: 'pakker', labelEn: 'packs' },
  { code: 'LS', labelNb: 'rundsum', labelEn: 'lump sum' },
];

export const UNIT_CODES = UNITS.map((unit) => unit.code) as [string, ...string[]];
