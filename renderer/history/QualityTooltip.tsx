// The tooltip of a quality mark: which flag, its figures as the report words them, when, and
// from which source; placed like the gap tooltip, whose look it shares.
import { useEffect, useRef } from 'react';
import type { TimeZoneMode } from '../format/time.ts';
import '../charts/gaps/gapTooltip.css';
import type { QualityHover } from './historyChart.ts';
import { markTooltipLines } from './qualityMarks.ts';

const OFFSET_PX = 14;
const WIDTH_PX = 290;

export function QualityTooltip({
  hover,
  zone,
  hostWidth,
}: {
  hover: QualityHover;
  zone: TimeZoneMode;
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
    <div
      className="gap-tooltip mono"
      ref={tipRef}
      role="tooltip"
      data-testid="quality-tooltip"
      data-kind={hover.drawn.mark.kind}
    >
      {markTooltipLines(hover.drawn.mark, zone).join('\n')}
    </div>
  );
}
