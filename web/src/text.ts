/** Trimmed text, or null when empty (the API's "no value"). */
export function orNull(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** A whole number typed into a text box, or null when empty; NaN is left for the API to reject. */
export function intOrNull(value: string): number | null {
  const trimmed = value.trim();
  if (trimmed === '') return null;
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

export function orEmpty(value: string | null | undefined): string {
  return value ?? '';
}
