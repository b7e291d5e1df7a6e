// The tooltip of a shaded gap: from, to, how long and why, next to the pointer inside the chart.
import { useEffect, useRef } from 'react';
import type { TimeZoneMode } from '../../format/time.ts';
import type { ChartGap } from './chartGap.ts';
import { describeGap } from './gapText.ts';
import './gapTooltip.css';

/** The gap under the pointer and where the pointer is, in the chart host's CSS pixels. */
export interface GapHover {
  gap: ChartGap;
  x: number;
  y: number;
}

const OFFSET_PX = 14;
const WIDTH_PX = 290;

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
  const tipRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Placed through the CSSOM: the page's CSP allows no inline style attributes.
    const tip = tipRef.current;
    if (!tip) return;
    tip.style.left = `${Math.min(hover.x + OFFSET_PX, Math.max(0, hostWidth() - WIDTH_PX))}px`;
    tip.style.top = `${hover.y + OFFSET_PX}px`;
  }, [hover, hostWidth]);
  return (
    <div className="gap-tooltip mono" ref={tipRef} role="tooltip" data-testid="gap-tooltip">
      {describeGap(hover.gap, zone)}
    </div>
  );
}
