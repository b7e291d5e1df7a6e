// Ticks per UTC hour of one day: the first figure a reader checks for a dead or short session.
const US_PER_HOUR = 3_600_000_000;

export function createHourCounts(): number[] {
  return new Array<number>(24).fill(0);
}

/** Counts a tick of the day starting at dayStartUs; a time outside the day is not counted. */
export function countHour(counts: number[], tsUs: number, dayStartUs: number): void {
  const h = Math.floor((tsUs - dayStartUs) / US_PER_HOUR);
  if (h >= 0 && h < 24) counts[h]++;
}
