// Every tick line of a history chart (bid and ask per source, or their mid or spread, and the
// best bid/offer) as ONE custom lightweight-charts series. Each setData re-indexes every series on
// the chart and rebuilds its time table, so ten line series cost ten times ten the work of one
// (measured: ~150 ms vs ~20 ms for four LPs on a 150 s view); one series holding all lines keeps
// a zoom step within budget. Items carry one value per line, NaN where that line has no new
// quote (it holds its last, as a step line does).
import type {
  CustomData,
  CustomSeriesOptions,
  CustomSeriesWhitespaceData,
  ICustomSeriesPaneRenderer,
  ICustomSeriesPaneView,
  PaneRendererCustomData,
  PriceToCoordinateConverter,
} from 'lightweight-charts';
import { customSeriesDefaultOptions } from 'lightweight-charts';
import type { TimedValue } from '../charts/sourceLegend.ts';

export interface MultiLineData extends CustomData<number> {
  time: number;
  /** One value per line of the series' `lines` option; NaN: no new value at this time. */
  values: readonly number[];
}

export interface LineSpec {
  color: string;
  width: number;
  dashed: boolean;
}

export interface MultiLineOptions extends CustomSeriesOptions {
  lines: LineSpec[];
}

type DrawTarget = Parameters<ICustomSeriesPaneRenderer['draw']>[0];

/** Items for the series from one point list per line (each sorted, one point per time). */
export function multiLineItems(lines: readonly (readonly TimedValue[])[]): MultiLineData[] {
  const k = lines.length;
  const byTime = new Map<number, number[]>();
  lines.forEach((points, line) => {
    for (const p of points) {
      let values = byTime.get(p.time);
      if (!values) byTime.set(p.time, (values = new Array<number>(k).fill(Number.NaN)));
      values[line] = p.value;
    }
  });
  return [...byTime.keys()].sort((a, b) => a - b).map((time) => ({ time, values: byTime.get(time)! }));
}

/** Lowest, highest and last finite value of an item (the chart autoscales on these). */
export function itemRange(values: readonly number[]): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  let last = Number.NaN;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    last = v;
  }
  return Number.isFinite(last) ? [lo, hi, last] : [];
}

export class MultiLineView implements ICustomSeriesPaneView<number, MultiLineData, MultiLineOptions> {
  private data: PaneRendererCustomData<number, MultiLineData> | null = null;
  private options: MultiLineOptions | null = null;
  private readonly paneRenderer: ICustomSeriesPaneRenderer = {
    draw: (target, priceToY) => this.draw(target, priceToY),
  };

  renderer(): ICustomSeriesPaneRenderer {
    return this.paneRenderer;
  }

  update(data: PaneRendererCustomData<number, MultiLineData>, options: MultiLineOptions): void {
    this.data = data;
    this.options = options;
  }

  priceValueBuilder(row: MultiLineData): number[] {
    return itemRange(row.values);
  }

  isWhitespace(
    row: MultiLineData | CustomSeriesWhitespaceData<number>,
  ): row is CustomSeriesWhitespaceData<number> {
    const values = (row as Partial<MultiLineData>).values;
    return !values || itemRange(values).length === 0;
  }

  defaultOptions(): MultiLineOptions {
    return { ...customSeriesDefaultOptions, lines: [] };
  }

  private draw(target: DrawTarget, priceToY: PriceToCoordinateConverter): void {
    const data = this.data;
    const lines = this.options?.lines ?? [];
    if (!data || !data.visibleRange || data.bars.length === 0 || lines.length === 0) return;
    const bars = data.bars;
    const from = Math.max(0, data.visibleRange.from);
    const to = Math.min(bars.length, data.visibleRange.to + 1);
    // A later item means the last quote in view still stands at the right edge.
    const continues = to < bars.length;
    target.useBitmapCoordinateSpace(
      ({ context: ctx, mediaSize, horizontalPixelRatio: hr, verticalPixelRatio: vr }) => {
        const width = mediaSize.width;
        ctx.lineJoin = 'miter';
        const px = (x: number) => Math.round(x * hr);
        const py = (y: number) => Math.round(y * vr);
        for (let k = 0; k < lines.length; k++) {
          const spec = lines[k];
          // The quote standing at the left edge: the line's last value before the visible items.
          let held = Number.NaN;
          for (let i = from - 1; i >= 0 && Number.isNaN(held); i--) held = bars[i].originalData.values[k];
          let prevY = Number.isFinite(held) ? priceToY(held) : null;
          ctx.beginPath();
          let started = prevY !== null;
          if (prevY !== null) ctx.moveTo(0, py(prevY));
          for (let i = from; i < to; i++) {
            const v = bars[i].originalData.values[k];
            if (!Number.isFinite(v)) continue;
            const y = priceToY(v);
            if (y === null) continue;
            const x = px(bars[i].x);
            if (started && prevY !== null) {
              ctx.lineTo(x, py(prevY));
              ctx.lineTo(x, py(y));
            } else ctx.moveTo(x, py(y));
            started = true;
            prevY = y;
          }
          if (started && prevY !== null && continues) ctx.lineTo(px(width), py(prevY));
          ctx.strokeStyle = spec.color;
          ctx.lineWidth = Math.max(1, Math.round(spec.width * hr));
          ctx.setLineDash(spec.dashed ? [4 * hr, 3 * hr] : []);
          ctx.stroke();
        }
        ctx.setLineDash([]);
      },
    );
  }
}
