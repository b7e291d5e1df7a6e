// OHLC bars as CSV, from the reader's own bar path (what `bars.get` answers), one symbol after
// another: `time,symbol,open,high,low,close,ticks` with time the bar's start in ISO-8601 (µs).
import type { BarSide } from '../../../shared/export.ts';
import type { BarColumns } from '../../../shared/bars.ts';
import { ChunkedFile } from './chunkedFile.ts';
import { csvText } from './csvWriter.ts';
import { IsoUs, num } from './numberText.ts';

export class BarsCsvWriter {
  private readonly file: ChunkedFile;
  private readonly side: BarSide;
  private readonly iso = new IsoUs();
  rowsWritten = 0;

  constructor(outPath: string, side: BarSide) {
    this.side = side;
    this.file = new ChunkedFile(outPath);
    this.file.add('time,symbol,open,high,low,close,ticks\n');
  }

  get bytesWritten(): number {
    return this.file.bytes;
  }

  write(bars: BarColumns): Promise<void> {
    const o = bars[this.side];
    const sym = csvText(bars.symbol);
    let out = '';
    for (let i = 0; i < bars.startUs.length; i++) {
      out += `${this.iso.format(bars.startUs[i]!)},${sym},${num(o.open[i]!)},${num(o.high[i]!)},${num(o.low[i]!)},${num(o.close[i]!)},${bars.count[i]}\n`;
    }
    this.file.add(out);
    this.rowsWritten += bars.startUs.length;
    return this.file.drained();
  }

  finish(): Promise<string[]> {
    return this.file.finish();
  }

  abort(): void {
    this.file.abort();
  }
}
