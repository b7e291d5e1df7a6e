// The charts History shows side by side: the first is the selected symbol and source filter
// (historySymbol, historySource); up to three more come from historyCompare, each 'SYMBOL' or
// 'SYMBOL@SOURCE' (one symbol's sources compared, or other symbols over the same range).
import { MAX_COMPARE } from '../app/viewStateCodec.ts';

export const MAX_CHARTS = MAX_COMPARE + 1;

export interface ChartSpec {
  symbol: string;
  /** null: every source. */
  source: string | null;
}

export function parseCompare(entry: string): ChartSpec | null {
  const [symbol, source, ...rest] = entry.split('@');
  if (!symbol || rest.length > 0 || source === '') return null;
  return { symbol, source: source ?? null };
}

export function formatCompare(spec: ChartSpec): string {
  return spec.source === null ? spec.symbol : `${spec.symbol}@${spec.source}`;
}

/** Every chart: the main one, then the valid compare entries, at most MAX_CHARTS. */
export function chartSpecs(main: ChartSpec, compare: readonly string[]): ChartSpec[] {
  const out = [main];
  for (const entry of compare) {
    const spec = parseCompare(entry);
    if (spec && out.length < MAX_CHARTS) out.push(spec);
  }
  return out;
}

/**
 * The entry a new chart starts with: the main symbol's next source not charted yet (comparing one
 * symbol's LPs is the common case), else the next symbol not charted, else the main symbol again.
 */
export function nextCompare(
  specs: readonly ChartSpec[],
  sources: readonly string[],
  symbols: readonly string[],
): string {
  const main = specs[0];
  const taken = new Set(specs.map(formatCompare));
  for (const source of sources) {
    const candidate = formatCompare({ symbol: main.symbol, source });
    if (!taken.has(candidate)) return candidate;
  }
  const charted = new Set(specs.map((s) => s.symbol));
  const other = symbols.find((s) => !charted.has(s));
  return other ?? main.symbol;
}
