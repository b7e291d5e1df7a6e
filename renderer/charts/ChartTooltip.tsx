// A tooltip next to the pointer inside a chart host, kept within the host's width: the box the
// gap tooltip and the quality-mark tooltip share.
import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import './gaps/gapTooltip.css';

const OFFSET_PX = 14;
const WIDTH_PX = 290;

export function ChartTooltip({
  x,
  y,
  hostWidth,
  testId,
  kind,
  children,
}: {
  /** The pointer, in the chart host's CSS pixels. */
  x: number;
  y: number;
  /** The chart host's width, so the tooltip stays inside it. */
  hostWidth: () => number;
  testId: string;
  kind?: string;
  children: ReactNode;
}) {
  const tipRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Placed through the CSSOM: the page's CSP allows no inline style attributes.
    const tip = tipRef.current;
    if (!tip) return;
    tip.style.left = `${Math.min(x + OFFSET_PX, Math.max(0, hostWidth() - WIDTH_PX))}px`;
    tip.style.top = `${y + OFFSET_PX}px`;
  }, [x, y, hostWidth]);
  return (
    <div className="gap-tooltip mono" ref={tipRef} role="tooltip" data-testid={testId} data-kind={kind}>
      {children}
    </div>
  );
}
