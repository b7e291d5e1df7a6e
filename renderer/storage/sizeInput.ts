// Byte sizes as a person types them: a number and a unit (MiB or GiB, the units formatBytes shows),
// turned into whole bytes for the engine, and back into text for a prefilled field.

export const SIZE_UNITS = ['MiB', 'GiB'] as const;
export type SizeUnit = (typeof SIZE_UNITS)[number];

export const BYTES_PER_UNIT: Record<SizeUnit, number> = { MiB: 1024 ** 2, GiB: 1024 ** 3 };

export interface SizeText {
  text: string;
  unit: SizeUnit;
}

/** The field text for `bytes`: GiB when it is at least 1 GiB, else MiB; up to 3 decimals; null: empty. */
export function sizeTextFrom(bytes: number | null): SizeText {
  if (bytes === null) return { text: '', unit: 'GiB' };
  const unit: SizeUnit = bytes >= BYTES_PER_UNIT.GiB ? 'GiB' : 'MiB';
  // Trailing zeros go ("2", not "2.000"), so a round budget reads as typed.
  const text = String(Number((bytes / BYTES_PER_UNIT[unit]).toFixed(3)));
  return { text, unit };
}

/**
 * Whole bytes for a typed size ("1.5" GiB), null for an empty field, or undefined when the text is
 * not a plain non-negative decimal number (the caller names the field in its message).
 */
export function parseSize(text: string, unit: SizeUnit): number | null | undefined {
  const t = text.trim();
  if (t === '') return null;
  if (!/^\d+(\.\d+)?$/.test(t)) return undefined;
  return Math.round(Number(t) * BYTES_PER_UNIT[unit]);
}
