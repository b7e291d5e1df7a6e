// Text of one time-axis label. The label's own weight (which step it is aligned to) decides its
// precision, and the visible span decides how much context it carries: the year once the view
// spans years, the date once it spans days, hours always below a day, '.mmm' below a second.
import type { Zone } from './zone.ts';
import { wallClock } from './wallClock.ts';
import { unitOfWeight, US_PER_DAY } from './axisUnits.ts';

export interface AxisContext {
  /** Visible span in µs. */
  spanUs: number;
  /** The view crosses a year boundary in the zone (then every date label shows its year). */
  crossesYear: boolean;
  /** The chart's grid step in µs: the finest aligned instant the axis can label. */
  gridStepUs: number;
}

/** Longest label this module writes ('YYYY-MM-DD HH:MM'). */
export const MAX_AXIS_LABEL_CHARS = 16;

const MS = 1000;
const SECOND = 1_000_000;
const FINE_SPAN_US = 10 * MS;
const SECONDS_SPAN_US = 2000 * SECOND;

/**
 * The longest label a view can get. The chart keeps labels this many characters apart, so it is
 * as short as the view allows: a 16-character reserve everywhere would leave a handful of labels.
 */
export function maxLabelChars(ctx: AxisContext): number {
  if (ctx.spanUs >= US_PER_DAY) return ctx.crossesYear || ctx.spanUs >= 300 * US_PER_DAY ? 16 : 11;
  if (ctx.gridStepUs < MS || ctx.spanUs < FINE_SPAN_US) return 15;
  if (ctx.gridStepUs < SECOND || ctx.spanUs < SECONDS_SPAN_US) return 12;
  return 8;
}

const p2 = (n: number) => String(n).padStart(2, '0');
const p3 = (n: number) => String(n).padStart(3, '0');

export function axisLabel(tsUs: number, weight: number, zone: Zone, ctx: AxisContext): string {
  const c = wallClock(tsUs, zone);
  const unit = unitOfWeight(weight);
  const date =
    ctx.crossesYear || ctx.spanUs >= 300 * US_PER_DAY
      ? `${c.y}-${p2(c.mo)}-${p2(c.d)}`
      : `${p2(c.mo)}-${p2(c.d)}`;
  const hm = `${p2(c.h)}:${p2(c.mi)}`;
  if (unit?.kind === 'year') return String(c.y);
  if (unit?.kind === 'month') return `${c.y}-${p2(c.mo)}`;
  if (unit?.kind === 'day') return date;
  if (unit?.kind === 'hour' || unit?.kind === 'minute') {
    return ctx.spanUs >= US_PER_DAY ? `${date} ${hm}` : hm;
  }
  const hms = `${hm}:${p2(c.s)}`;
  if (unit?.kind === 'second') return hms;
  if (unit?.kind === 'ms') return `${hms}.${p3(c.ms)}`;
  if (unit?.kind === 'us') return `${hms}.${p3(c.ms)}${p3(c.us)}`;
  // Weight 0: a tick aligned to nothing, labelled only where no aligned point fits. Its label
  // carries as much of its time as the zoom resolves (the grid step), so it never reads as a
  // rounder time than the step it sits between.
  if (ctx.spanUs >= US_PER_DAY) return `${date} ${hm}`;
  const chars = maxLabelChars(ctx);
  if (chars === 15) return `${hms}.${p3(c.ms)}${p3(c.us)}`;
  if (chars === 12) return `${hms}.${p3(c.ms)}`;
  return hms;
}

/** True when [fromUs, toUs] holds a new year in the zone. */
export function crossesYear(fromUs: number, toUs: number, zone: Zone): boolean {
  return wallClock(fromUs, zone).y !== wallClock(toUs, zone).y;
}
