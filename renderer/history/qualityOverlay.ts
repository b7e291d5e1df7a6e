// Draws the quality report's marks over a History chart: a report gap is shaded like the chart's
// own gaps but in amber with a back-hatch (so it reads apart from tick silence and feed events)
// and gets a bar in the top strip; every instant flag is a small triangle in its kind's lane of
// that strip with a faint hairline down the pane. What was drawn, and where, is kept for the
// tooltip and the chart probe, as the gap overlay does.
import type {
  IPrimitivePaneRenderer,
  IPrimitivePaneView,
  ISeriesPrimitive,
  SeriesAttachedParameter,
  SeriesType,
} from 'lightweight-charts';
import type { ChartGap } from '../charts/gaps/chartGap.ts';
import type { VisibleUs, XOfUs } from '../charts/gaps/gapGeometry.ts';
import { gapSpans } from '../charts/gaps/gapGeometry.ts';
import type { ChartQualityMark } from './qualityMarks.ts';

/** A mark as last drawn, CSS px in the pane; x2 equals x1 for an instant. */
export interface DrawnQualityMark {
  mark: ChartQualityMark;
  x1: number;
  x2: number;
  /** Centre of its glyph in the top strip. */
  y: number;
}

type Kind = ChartQualityMark['kind'];

/** The top strip's lane of each kind, top to bottom. */
const LANE: Record<Kind, number> = { gap: 0, spike: 1, crossed: 2, locked: 3, regression: 4, duplicate: 5 };
export const QUALITY_COLOURS: Record<Kind, string> = {
  gap: 'rgba(255, 183, 77, 0.95)',
  spike: '#ff7043',
  crossed: '#ef5350',
  locked: '#ffd54f',
  regression: '#4fc3f7',
  duplicate: '#81c784',
};
const GAP_FILL = 'rgba(255, 183, 77, 0.10)';
const GAP_HATCH = 'rgba(255, 183, 77, 0.40)';
const HAIRLINE_ALPHA = 0.35;

const STRIP_TOP_PX = 4;
const LANE_PX = 9;
const GLYPH_HALF_PX = 3.5;
const HATCH_STEP_PX = 8;
/** How far from a glyph (CSS px) the pointer still hovers it. */
const HIT_PX = 4;

export function laneY(kind: Kind): number {
  return STRIP_TOP_PX + LANE_PX * LANE[kind] + LANE_PX / 2;
}

/** Where each mark falls on a pane `widthPx` wide; off-screen ones are left out. */
export function placeMarks(
  marks: readonly ChartQualityMark[],
  xOfUs: XOfUs,
  widthPx: number,
  visible: VisibleUs | null,
): DrawnQualityMark[] {
  const out: DrawnQualityMark[] = [];
  const gaps: ChartGap[] = [];
  const gapMark = new Map<ChartGap, ChartQualityMark>();
  for (const m of marks) {
    if (m.kind === 'gap') {
      const g: ChartGap = {
        fromUs: m.atUs,
        toUs: m.toUs,
        cause: 'no-ticks',
        detail: m.detail,
        source: m.source,
      };
      gaps.push(g);
      gapMark.set(g, m);
      continue;
    }
    if (visible && (m.atUs < visible.fromUs || m.atUs > visible.toUs)) continue;
    const x = xOfUs(m.atUs);
    if (x === null || x < 0 || x > widthPx) continue;
    out.push({ mark: m, x1: x, x2: x, y: laneY(m.kind) });
  }
  // Gaps are placed exactly as the chart's own gap shading places them.
  for (const s of gapSpans(gaps, xOfUs, widthPx, visible))
    out.push({ mark: gapMark.get(s.gap)!, x1: s.x1, x2: s.x2, y: laneY('gap') });
  return out.sort((a, b) => a.mark.atUs - b.mark.atUs);
}

/**
 * The mark under the pointer: an instant whose hairline is within a few px (the nearest, its
 * lane breaking ties), else a gap whose strip bar is under it. Below the strip a gap's band is
 * left to the chart's own gap tooltip, which names feed causes.
 */
export function markAt(drawn: readonly DrawnQualityMark[], x: number, y: number): DrawnQualityMark | null {
  let best: DrawnQualityMark | null = null;
  let bestMiss = Infinity;
  for (const d of drawn) {
    if (d.mark.kind === 'gap') continue;
    const miss = Math.abs(d.x1 - x) + Math.abs(d.y - y) / 100;
    if (Math.abs(d.x1 - x) <= HIT_PX && miss < bestMiss) {
      best = d;
      bestMiss = miss;
    }
  }
  if (best) return best;
  const gapLane = laneY('gap');
  if (Math.abs(y - gapLane) > LANE_PX / 2 + 1) return null;
  return drawn.find((d) => d.mark.kind === 'gap' && x >= d.x1 - 2 && x <= d.x2 + 2) ?? null;
}

type DrawTarget = Parameters<IPrimitivePaneRenderer['draw']>[0];
type BitmapScope = Parameters<Parameters<DrawTarget['useBitmapCoordinateSpace']>[0]>[0];

export class QualityOverlay implements ISeriesPrimitive<number> {
  private readonly xOfUs: XOfUs;
  private readonly visibleUs: () => VisibleUs | null;
  private readonly views: readonly IPrimitivePaneView[];
  private marks: readonly ChartQualityMark[] = [];
  private drawn: DrawnQualityMark[] = [];
  private requestUpdate: (() => void) | null = null;

  constructor(opts: { xOfUs: XOfUs; visibleUs: () => VisibleUs | null }) {
    this.xOfUs = opts.xOfUs;
    this.visibleUs = opts.visibleUs;
    // Shading goes behind the prices, glyphs in front of them.
    const back: IPrimitivePaneRenderer = { draw: (t) => this.drawBack(t) };
    const front: IPrimitivePaneRenderer = { draw: (t) => this.drawFront(t) };
    this.views = [
      { zOrder: () => 'bottom', renderer: () => back },
      { zOrder: () => 'top', renderer: () => front },
    ];
  }

  attached(param: SeriesAttachedParameter<number, SeriesType>): void {
    this.requestUpdate = param.requestUpdate;
  }

  detached(): void {
    this.requestUpdate = null;
  }

  paneViews(): readonly IPrimitivePaneView[] {
    return this.views;
  }

  setMarks(marks: readonly ChartQualityMark[]): void {
    this.marks = marks;
    if (marks.length === 0) this.drawn = [];
    this.requestUpdate?.();
  }

  /** What the last draw showed, CSS px (for the tooltip, tests and tooling). */
  drawnMarks(): DrawnQualityMark[] {
    return this.drawn.slice();
  }

  markAt(x: number, y: number): DrawnQualityMark | null {
    return markAt(this.drawn, x, y);
  }

  private drawBack(target: DrawTarget): void {
    target.useBitmapCoordinateSpace((scope) => {
      // Placed here, the first of the two draws of a frame, so both use one placement.
      this.drawn = placeMarks(this.marks, this.xOfUs, scope.mediaSize.width, this.visibleUs());
      for (const d of this.drawn) if (d.mark.kind === 'gap') this.shadeGap(scope, d);
    });
  }

  private drawFront(target: DrawTarget): void {
    target.useBitmapCoordinateSpace((scope) => {
      for (const d of this.drawn) {
        if (d.mark.kind === 'gap') this.gapBar(scope, d);
        else this.glyph(scope, d);
      }
    });
  }

  private shadeGap(scope: BitmapScope, d: DrawnQualityMark): void {
    const { context: ctx, horizontalPixelRatio: hr, bitmapSize } = scope;
    const left = Math.round(d.x1 * hr);
    const w = Math.max(1, Math.round(d.x2 * hr) - left);
    const h = bitmapSize.height;
    ctx.fillStyle = GAP_FILL;
    ctx.fillRect(left, 0, w, h);
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, 0, w, h);
    ctx.clip();
    ctx.beginPath();
    // Back-hatched (\), where the feed-side gap shading is forward-hatched (/).
    const step = HATCH_STEP_PX * hr;
    for (let x = left - h; x < left + w + h; x += step) {
      ctx.moveTo(x, 0);
      ctx.lineTo(x + h, h);
    }
    ctx.strokeStyle = GAP_HATCH;
    ctx.lineWidth = Math.max(1, Math.floor(hr));
    ctx.stroke();
    ctx.restore();
  }

  private gapBar(scope: BitmapScope, d: DrawnQualityMark): void {
    const { context: ctx, horizontalPixelRatio: hr, verticalPixelRatio: vr } = scope;
    const left = Math.round(d.x1 * hr);
    ctx.fillStyle = QUALITY_COLOURS.gap;
    ctx.fillRect(
      left,
      Math.round((d.y - 2) * vr),
      Math.max(2, Math.round(d.x2 * hr) - left),
      Math.round(4 * vr),
    );
  }

  private glyph(scope: BitmapScope, d: DrawnQualityMark): void {
    const { context: ctx, horizontalPixelRatio: hr, verticalPixelRatio: vr, bitmapSize } = scope;
    const colour = QUALITY_COLOURS[d.mark.kind];
    const cx = d.x1 * hr;
    const cy = d.y * vr;
    ctx.save();
    ctx.globalAlpha = HAIRLINE_ALPHA;
    ctx.fillStyle = colour;
    ctx.fillRect(Math.round(cx), Math.round(cy), Math.max(1, Math.floor(hr)), bitmapSize.height);
    ctx.restore();
    // A downward triangle: it points at the instant.
    const half = GLYPH_HALF_PX * hr;
    ctx.beginPath();
    ctx.moveTo(cx - half, cy - GLYPH_HALF_PX * vr);
    ctx.lineTo(cx + half, cy - GLYPH_HALF_PX * vr);
    ctx.lineTo(cx, cy + GLYPH_HALF_PX * vr);
    ctx.closePath();
    ctx.fillStyle = colour;
    ctx.fill();
  }
}
