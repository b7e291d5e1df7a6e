// The ladder of axis steps, from a microsecond to a year, and the weight of an instant: the
// coarsest step it is aligned to on the zone's wall clock. The chart labels heavier instants
// first, so a view shows years, then months, days, hours... down to microseconds, in that order.
import type { Zone } from './zone.ts';
import { wallAsUtcUs, wallClock } from './wallClock.ts';

export const US_PER_SECOND = 1_000_000;
export const US_PER_MINUTE = 60 * US_PER_SECOND;
export const US_PER_HOUR = 60 * US_PER_MINUTE;
export const US_PER_DAY = 24 * US_PER_HOUR;

export type AxisUnitKind = 'us' | 'ms' | 'second' | 'minute' | 'hour' | 'day' | 'month' | 'year';

export interface AxisUnit {
  kind: AxisUnitKind;
  /** Length in µs; months and years use their usual length (for step choice only). */
  us: number;
  /** Months per step for month and year units. */
  months?: number;
}

const SUB_DAY: Array<[AxisUnitKind, number]> = [
  ...[1, 2, 5, 10, 20, 50, 100, 200, 500].map((n) => ['us', n] as [AxisUnitKind, number]),
  ...[1, 2, 5, 10, 20, 50, 100, 200, 500].map((n) => ['ms', n * 1000] as [AxisUnitKind, number]),
  ...[1, 2, 5, 10, 15, 30].map((n) => ['second', n * US_PER_SECOND] as [AxisUnitKind, number]),
  ...[1, 2, 5, 10, 15, 30].map((n) => ['minute', n * US_PER_MINUTE] as [AxisUnitKind, number]),
  ...[1, 2, 3, 6, 12].map((n) => ['hour', n * US_PER_HOUR] as [AxisUnitKind, number]),
];

/** Every step, finest first; a unit's weight is its index + 1 (0 = aligned to nothing). */
export const AXIS_UNITS: readonly AxisUnit[] = [
  ...SUB_DAY.map(([kind, us]) => ({ kind, us })),
  { kind: 'day', us: US_PER_DAY },
  { kind: 'month', us: 30 * US_PER_DAY, months: 1 },
  { kind: 'month', us: 91 * US_PER_DAY, months: 3 },
  { kind: 'year', us: 365 * US_PER_DAY, months: 12 },
];

export const DAY_WEIGHT = AXIS_UNITS.findIndex((u) => u.kind === 'day') + 1;
export const MONTH_WEIGHT = DAY_WEIGHT + 1;
export const YEAR_WEIGHT = AXIS_UNITS.length;

export function unitOfWeight(weight: number): AxisUnit | null {
  return weight >= 1 && weight <= AXIS_UNITS.length ? AXIS_UNITS[weight - 1] : null;
}

/** The weight of an instant in a zone: the coarsest unit whose multiple it sits on. */
export function weightOf(tsUs: number, zone: Zone): number {
  const wall = wallAsUtcUs(tsUs, zone);
  const tod = ((wall % US_PER_DAY) + US_PER_DAY) % US_PER_DAY;
  if (tod !== 0) {
    let w = 0;
    for (let i = 0; i < SUB_DAY.length; i++) {
      if (tod % SUB_DAY[i][1] === 0) w = i + 1;
    }
    return w;
  }
  const c = wallClock(tsUs, zone);
  if (c.d !== 1) return DAY_WEIGHT;
  if (c.mo === 1) return YEAR_WEIGHT;
  return (c.mo - 1) % 3 === 0 ? MONTH_WEIGHT + 1 : MONTH_WEIGHT;
}

/** The finest unit whose step gives at most `maxSteps` steps over `spanUs`. */
export function unitForSpan(spanUs: number, maxSteps: number): AxisUnit {
  for (const u of AXIS_UNITS) if (spanUs / u.us <= maxSteps) return u;
  return AXIS_UNITS[AXIS_UNITS.length - 1];
}
