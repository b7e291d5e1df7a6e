// The tooltip of a shaded gap: from, to, how long and why, next to the pointer inside the chart.
import type { TimeZoneMode } from '../../format/time.ts';
import { ChartTooltip } from '../ChartTooltip.tsx';
import type { ChartGap } from './chartGap.ts';
import { describeGap } from './gapText.ts';

/** The gap under the pointer and where the pointer is, in the chart host's CSS pixels. */
export interface GapHover {
  gap: ChartGap;
  x: number;
  y: number;
}

export function GapTooltip({
  hover,
  zone,
  hostWidth,
}: {
  hover: GapHover;
  zone: TimeZoneMode;
  /** The chart host's width, so the tooltip stays inside it. */
  hostWidth: () => number;
}) {
  return (
    <ChartTooltip x={hover.x} y={hover.y} hostWidth={hostWidth} testId="gap-tooltip">
      {describeGap(hover.gap, zone)}
    </ChartTooltip>
  );
}
