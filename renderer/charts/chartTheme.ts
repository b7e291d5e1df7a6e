// Shared look of every chart: the app's dark palette, crosshair that snaps to data.
import type { ChartOptions, DeepPartial } from 'lightweight-charts';
import { ColorType, CrosshairMode } from 'lightweight-charts';

export const COLORS = {
  bid: '#4aa3ff',
  ask: '#ff8c42',
  up: '#26a69a',
  down: '#ef5350',
  text: '#9aa4b2',
  grid: '#1c2330',
  border: '#2a3342',
  background: '#0f141b',
};

export function baseChartOptions(): DeepPartial<ChartOptions> {
  return {
    autoSize: true,
    layout: {
      background: { type: ColorType.Solid, color: COLORS.background },
      textColor: COLORS.text,
      fontSize: 11,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
      // The built-in logo injects an inline <style>, which the page's CSP blocks; the attribution
      // is shown as a plain link next to each chart instead (ChartAttribution).
      attributionLogo: false,
    },
    grid: { vertLines: { color: COLORS.grid }, horzLines: { color: COLORS.grid } },
    crosshair: { mode: CrosshairMode.Normal },
    rightPriceScale: { borderColor: COLORS.border },
    timeScale: { borderColor: COLORS.border, timeVisible: true, secondsVisible: true },
  };
}

/** Decimals shown on a price scale for quotes of this size. */
export function priceFormatFor(decimals: number) {
  return { type: 'price' as const, precision: decimals, minMove: 10 ** -decimals };
}
