// Shades the chart's gaps over the full pane height, behind the price lines: plain tick silence in
// a grey wash, feed-side gaps (disconnect, stale, lost messages, rejects) in another colour with a
// hatch so the two read apart at a glance. In "compress gaps" mode the adapter also passes the
// times where it cut time out, and each gets a zig-zag break marker.
import type {
  IPrimitivePaneRenderer,
  IPrimitivePaneView,
  ISeriesPrimitive,
  PrimitiveHoveredItem,
  SeriesAttachedParameter,
  SeriesType,
} from 'lightweight-charts';
import type { ChartGap } from './chartGap.ts';
import { isFeedSide } from './chartGap.ts';
import type { ShadedSpan, VisibleUs, XOfUs } from './gapGeometry.ts';
import { breakXs, gapAt, gapSpans } from './gapGeometry.ts';

export interface GapColours {
  /** Fill of a gap seen in the ticks only. */
  tickFill: string;
  /** Fill of a gap the feed ledger explains. */
  feedFill: string;
  /** Hatch lines over a feed-side gap. */
  feedHatch: string;
  /** The break marker of a compressed gap. */
  breakLine: string;
}

export const DEFAULT_GAP_COLOURS: GapColours = {
  tickFill: 'rgba(154, 164, 178, 0.14)',
  feedFill: 'rgba(186, 104, 200, 0.14)',
  feedHatch: 'rgba(186, 104, 200, 0.45)',
  breakLine: 'rgba(154, 164, 178, 0.9)',
};

export interface GapOverlayOptions {
  /** Time to x on the pane (CSS px), from the chart adapter. */
  xOfUs: XOfUs;
  /** The times at the pane's edges; lets ends the adapter cannot place be clipped to the right side. */
  visibleUs?: () => VisibleUs | null;
  colours?: Partial<GapColours>;
}

type DrawTarget = Parameters<IPrimitivePaneRenderer['draw']>[0];
type BitmapScope = Parameters<Parameters<DrawTarget['useBitmapCoordinateSpace']>[0]>[0];

/** Hatch spacing and break zig-zag size, CSS px. */
const HATCH_STEP_PX = 8;
const HATCH_MIN_WIDTH_PX = 4;
const ZIGZAG_HALF_WIDTH_PX = 3;
const ZIGZAG_STEP_PX = 6;

export class GapOverlay implements ISeriesPrimitive<number> {
  private readonly xOfUs: XOfUs;
  private readonly visibleUs: (() => VisibleUs | null) | null;
  private readonly colours: GapColours;
  private readonly views: readonly IPrimitivePaneView[];
  private gaps: readonly ChartGap[] = [];
  private breaks: readonly number[] = [];
  private spans: ShadedSpan[] = [];
  private drawnBreaks: number[] = [];
  private requestUpdate: (() => void) | null = null;

  constructor(opts: GapOverlayOptions) {
    this.xOfUs = opts.xOfUs;
    this.visibleUs = opts.visibleUs ?? null;
    this.colours = { ...DEFAULT_GAP_COLOURS, ...opts.colours };
    const renderer: IPrimitivePaneRenderer = { draw: (target) => this.draw(target) };
    this.views = [{ zOrder: () => 'bottom', renderer: () => renderer }];
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

  /** The gaps to shade (mergeGaps' output); redraws. */
  setGaps(gaps: readonly ChartGap[]): void {
    this.gaps = gaps;
    this.requestUpdate?.();
  }

  /** Times (µs) where the compressed axis cut time out; each gets a break marker. */
  setBreaks(us: readonly number[]): void {
    this.breaks = us;
    this.requestUpdate?.();
  }

  /** What the last draw shaded, CSS px (for tooltips, tests and tooling). */
  shadedSpans(): ShadedSpan[] {
    return this.spans.slice();
  }

  /** Where the last draw put break markers, CSS px. */
  breakMarkers(): number[] {
    return this.drawnBreaks.slice();
  }

  /** The gap under x (CSS px) as last drawn, for the tooltip. */
  gapAtX(x: number): ChartGap | null {
    return gapAt(this.spans, x);
  }

  /** Lets the chart report a hovered gap (externalId `gap:<index in the last draw>`). */
  hitTest(x: number): PrimitiveHoveredItem | null {
    const gap = this.gapAtX(x);
    if (!gap) return null;
    const i = this.spans.findIndex((s) => s.gap === gap);
    return { externalId: `gap:${i}`, zOrder: 'bottom', hitTestPriority: 0, itemType: 'primitive' };
  }

  private draw(target: DrawTarget): void {
    target.useBitmapCoordinateSpace((scope) => {
      const width = scope.mediaSize.width;
      this.spans = gapSpans(this.gaps, this.xOfUs, width, this.visibleUs ? this.visibleUs() : null);
      this.drawnBreaks = breakXs(this.breaks, this.xOfUs, width);
      for (const s of this.spans) this.shade(scope, s);
      for (const x of this.drawnBreaks) this.breakMarker(scope, x);
    });
  }

  private shade(scope: BitmapScope, s: ShadedSpan): void {
    const { context: ctx, horizontalPixelRatio: hr, bitmapSize } = scope;
    const left = Math.round(s.x1 * hr);
    const w = Math.max(1, Math.round(s.x2 * hr) - left);
    const h = bitmapSize.height;
    const feed = isFeedSide(s.gap);
    ctx.fillStyle = feed ? this.colours.feedFill : this.colours.tickFill;
    ctx.fillRect(left, 0, w, h);
    if (!feed || s.x2 - s.x1 < HATCH_MIN_WIDTH_PX) return;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, 0, w, h);
    ctx.clip();
    ctx.beginPath();
    const step = HATCH_STEP_PX * hr;
    for (let x = left - h; x < left + w; x += step) {
      ctx.moveTo(x, h);
      ctx.lineTo(x + h, 0);
    }
    ctx.strokeStyle = this.colours.feedHatch;
    ctx.lineWidth = Math.max(1, Math.floor(hr));
    ctx.stroke();
    ctx.restore();
  }

  private breakMarker(scope: BitmapScope, x: number): void {
    const { context: ctx, horizontalPixelRatio: hr, verticalPixelRatio: vr, bitmapSize } = scope;
    const cx = x * hr;
    const half = ZIGZAG_HALF_WIDTH_PX * hr;
    const step = ZIGZAG_STEP_PX * vr;
    ctx.beginPath();
    ctx.moveTo(cx, 0);
    let side = 1;
    for (let y = step / 2; y < bitmapSize.height + step; y += step) {
      ctx.lineTo(cx + side * half, Math.min(y, bitmapSize.height));
      side = -side;
    }
    ctx.strokeStyle = this.colours.breakLine;
    ctx.lineWidth = Math.max(1, Math.round(1.5 * hr));
    ctx.stroke();
  }
}
