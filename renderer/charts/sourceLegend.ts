// What a chart tells its legend about the sources it draws, and the point shape its lines share.

export interface SourceLegendEntry {
  source: string;
  /** Index into SOURCE_PALETTE, or null while the chart has one source (bid/ask colours). */
  colour: number | null;
}

/** One point of a line on the microsecond axis. */
export interface TimedValue {
  time: number;
  value: number;
}
