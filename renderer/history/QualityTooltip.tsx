// The tooltip of a quality mark: which flag, its figures as the report words them, when, and
// from which source; the same box as the gap tooltip.
import { ChartTooltip } from '../charts/ChartTooltip.tsx';
import type { TimeZoneMode } from '../format/time.ts';
import type { QualityHover } from './historyChart.ts';
import { markTooltipLines } from './qualityMarks.ts';

export function QualityTooltip({
  hover,
  zone,
  hostWidth,
}: {
  hover: QualityHover;
  zone: TimeZoneMode;
  hostWidth: () => number;
}) {
  return (
    <ChartTooltip
      x={hover.x}
      y={hover.y}
      hostWidth={hostWidth}
      testId="quality-tooltip"
      kind={hover.drawn.mark.kind}
    >
      {markTooltipLines(hover.drawn.mark, zone).join('\n')}
    </ChartTooltip>
  );
}
