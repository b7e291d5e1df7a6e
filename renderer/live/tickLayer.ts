// Draws the live chart's quote lines as a lightweight-charts primitive. The chart's data layer
// only holds the calendar grid: a `series.update` per tick costs the chart a pass over every
// series and the time scale (measured: 30 updates a frame with nine series took 6 ms of script
// alone), which a 20K ticks/s feed cannot afford. The layer instead draws the scene the chart
// builds for the view (every source's bid/ask pair and the BBO at the screen's resolution, crossed
// and locked quotes marked) and puts each line's last price on the price axis.
import type {
  IPrimitivePaneRenderer,
  IPrimitivePaneView,
  ISeriesApi,
  ISeriesPrimitive,
  ISeriesPrimitiveAxisView,
  SeriesAttachedParameter,
  SeriesType,
} from 'lightweight-charts';
import type { LiveScene, SceneMarker } from './liveScene.ts';

export interface AxisPrice {
  price: number;
  colour: string;
  text: string;
}

export interface TickLayerSource {
  /** The scene of the current view, or null when there is nothing to draw. */
  scene(): LiveScene | null;
  /** Prices to mark on the price axis (the last quote of each drawn line). */
  axisPrices(): AxisPrice[];
}

type DrawTarget = Parameters<IPrimitivePaneRenderer['draw']>[0];
type BitmapScope = Parameters<Parameters<DrawTarget['useBitmapCoordinateSpace']>[0]>[0];

const MARKER_PX = 4;
const CROSSED_COLOUR = '#ef5350';
const LOCKED_COLOUR = '#ffd54f';
const AXIS_TEXT = '#0f141b';

export class TickLayer implements ISeriesPrimitive<number> {
  private readonly source: TickLayerSource;
  private series: ISeriesApi<SeriesType, number> | null = null;
  private requestUpdate: (() => void) | null = null;
  private readonly views: readonly IPrimitivePaneView[];
  private axisViews: ISeriesPrimitiveAxisView[] = [];

  constructor(source: TickLayerSource) {
    this.source = source;
    const renderer: IPrimitivePaneRenderer = { draw: (target) => this.draw(target) };
    this.views = [{ zOrder: () => 'normal', renderer: () => renderer }];
  }

  attached(param: SeriesAttachedParameter<number, SeriesType>): void {
    this.series = param.series;
    this.requestUpdate = param.requestUpdate;
  }

  detached(): void {
    this.series = null;
    this.requestUpdate = null;
  }

  /** Redraws with a full update, so the price scale re-fits the new scene. */
  update(): void {
    this.requestUpdate?.();
  }

  paneViews(): readonly IPrimitivePaneView[] {
    return this.views;
  }

  updateAllViews(): void {
    const series = this.series;
    this.axisViews = this.source.axisPrices().map((p) => ({
      coordinate: () => series?.priceToCoordinate(p.price) ?? -1,
      text: () => p.text,
      textColor: () => AXIS_TEXT,
      backColor: () => p.colour,
    }));
  }

  priceAxisViews(): readonly ISeriesPrimitiveAxisView[] {
    return this.axisViews;
  }

  private draw(target: DrawTarget): void {
    const scene = this.source.scene();
    const series = this.series;
    if (!scene || !series || !Number.isFinite(scene.min)) return;
    // The price scale is linear: two prices give the whole mapping, not one call per vertex.
    const lo = scene.min;
    const hi = scene.max > scene.min ? scene.max : scene.min + 1;
    const yLo = series.priceToCoordinate(lo);
    const yHi = series.priceToCoordinate(hi);
    if (yLo === null || yHi === null) return;
    const k = (yHi - yLo) / (hi - lo);
    const y = (price: number) => yLo + (price - lo) * k;
    target.useBitmapCoordinateSpace((scope) => {
      const { context: ctx, horizontalPixelRatio: hr, verticalPixelRatio: vr } = scope;
      ctx.lineJoin = 'miter';
      ctx.lineCap = 'butt';
      for (const l of scene.lines) {
        if (l.xs.length === 0) continue;
        ctx.beginPath();
        let pen = false;
        let lastX = NaN;
        let lastY = NaN;
        for (let i = 0; i < l.xs.length; i++) {
          const v = l.vs[i];
          if (Number.isNaN(v)) {
            pen = false;
            continue;
          }
          // Half-pixel offsets keep one-pixel strokes crisp; a vertex on the last one's pixel adds nothing.
          const px = Math.round(l.xs[i] * hr) + 0.5;
          const py = Math.round(y(v) * vr) + 0.5;
          if (pen && px === lastX && py === lastY) continue;
          if (pen) ctx.lineTo(px, py);
          else ctx.moveTo(px, py);
          pen = true;
          lastX = px;
          lastY = py;
        }
        ctx.strokeStyle = l.line.colour;
        ctx.lineWidth = Math.max(1, Math.round(l.line.width * hr));
        ctx.setLineDash(l.line.dashed ? [4 * hr, 3 * hr] : []);
        ctx.stroke();
      }
      ctx.setLineDash([]);
      // One path per kind: a fill per marker would cost the canvas a raster pass each.
      for (const kind of ['crossed', 'locked'] as const) {
        ctx.beginPath();
        let any = false;
        for (const m of scene.markers) {
          if (m.kind !== kind) continue;
          this.marker(scope, m, y);
          any = true;
        }
        if (!any) continue;
        ctx.fillStyle = kind === 'crossed' ? CROSSED_COLOUR : LOCKED_COLOUR;
        ctx.fill();
      }
    });
  }

  /** Adds one marker's outline to the current path. */
  private marker(scope: BitmapScope, m: SceneMarker, y: (price: number) => number): void {
    const { context: ctx, horizontalPixelRatio: hr, verticalPixelRatio: vr } = scope;
    const cx = m.x * hr;
    const cy = y(m.price) * vr;
    const r = MARKER_PX * hr;
    if (m.kind === 'crossed') {
      // A triangle pointing down onto the bid that is above its ask.
      ctx.moveTo(cx - r, cy - 2 * r);
      ctx.lineTo(cx + r, cy - 2 * r);
      ctx.lineTo(cx, cy - 0.5 * r);
    } else {
      ctx.moveTo(cx, cy - r);
      ctx.lineTo(cx + r, cy);
      ctx.lineTo(cx, cy + r);
      ctx.lineTo(cx - r, cy);
    }
    ctx.closePath();
  }
}
