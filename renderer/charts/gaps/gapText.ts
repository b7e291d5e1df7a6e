// What a gap's tooltip says: from, to, how long, and why in plain words, so a shaded stretch on
// the chart is never a mystery.
import { formatDateTimeMs } from '../../format/time.ts';
import type { ChartGap } from './chartGap.ts';

/** The zone ids formatDateTimeMs accepts ('utc', 'local', 'UTC+02:00', 'America/New_York'...). */
export type GapZone = Parameters<typeof formatDateTimeMs>[1];

const trim = (fixed: string) => fixed.replace(/\.?0+$/, '');

/**
 * A gap's length as traders read it, exact to the millisecond below a day:
 * '350 µs', '12.5 ms', '56.026 s', '1 min 56.026 s', '2 h 5 min 3 s', '2 d 4 h 10 min'.
 */
export function formatGapDuration(us: number): string {
  const abs = Math.max(0, us);
  if (abs < 1_000) return `${Math.round(abs)} µs`;
  if (abs < 1_000_000) return `${trim((abs / 1_000).toFixed(3))} ms`;
  // Whole milliseconds from here on, split with integer arithmetic (no 59.9999 s).
  const totalMs = Math.round(abs / 1_000);
  const days = Math.floor(totalMs / 86_400_000);
  const hours = Math.floor((totalMs % 86_400_000) / 3_600_000);
  const mins = Math.floor((totalMs % 3_600_000) / 60_000);
  const secMs = totalMs % 60_000;
  const secs = `${trim((secMs / 1_000).toFixed(3))} s`;
  const out: string[] = [];
  if (days > 0) {
    out.push(`${days} d`);
    if (hours > 0) out.push(`${hours} h`);
    if (mins > 0) out.push(`${mins} min`);
    return out.join(' ');
  }
  if (hours > 0) out.push(`${hours} h`);
  if (mins > 0) out.push(`${mins} min`);
  if (secMs > 0 || out.length === 0) out.push(secs);
  return out.join(' ');
}

/** The cause of one gap in plain words, with its specifics in brackets. */
export function gapCauseText(gap: ChartGap): string {
  const feed = `feed ${gap.feed ?? gap.source ?? '?'}`;
  const why = gap.detail ? ` (${gap.detail})` : '';
  switch (gap.cause) {
    case 'no-ticks':
      return `no ticks${why}`;
    case 'disconnected':
      return `${feed} disconnected${why}`;
    case 'stale':
      return gap.symbol ? `${gap.symbol} stale on ${feed}${why}` : `${feed}: market quiet${why}`;
    case 'sequence-gap':
      return `${feed} lost messages${why}`;
    case 'rejected':
      return `${feed} refused a request${why}`;
  }
}

/** The tooltip as lines: from, to, duration, then one line per cause (every part of a merge). */
export function describeGapLines(gap: ChartGap, zone: GapZone): string[] {
  const lines: string[] = [];
  if (gap.toUs === gap.fromUs) {
    lines.push(`at ${formatDateTimeMs(gap.fromUs, zone)}`);
  } else {
    lines.push(`from ${formatDateTimeMs(gap.fromUs, zone)}`);
    lines.push(`to ${formatDateTimeMs(gap.toUs, zone)}${gap.open ? ' (not over yet)' : ''}`);
    lines.push(`${gap.open ? 'so far ' : ''}${formatGapDuration(gap.toUs - gap.fromUs)}`);
  }
  const parts = gap.parts && gap.parts.length > 0 ? gap.parts : [gap];
  for (const p of parts) {
    const sameSpan = p.fromUs === gap.fromUs && p.toUs === gap.toUs;
    let span = '';
    if (!sameSpan) {
      span =
        p.fromUs === p.toUs
          ? ` at ${formatDateTimeMs(p.fromUs, zone)}`
          : ` from ${formatDateTimeMs(p.fromUs, zone)} for ${formatGapDuration(p.toUs - p.fromUs)}`;
    }
    lines.push(`${gapCauseText(p)}${span}`);
  }
  return lines;
}

/** The tooltip text of a gap, one fact a line. */
export function describeGap(gap: ChartGap, zone: GapZone): string {
  return describeGapLines(gap, zone).join('\n');
}
