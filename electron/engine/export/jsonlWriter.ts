// JSON Lines: one object per tick with TickInput's field names, so a line can be fed back to
// any ingest path as it is. Optional fields appear only when the tick has them.
import type { StreamColumns } from '../stream/streamTypes.ts';
import { ChunkedFile } from './chunkedFile.ts';
import type { PageWriter } from './pageWriter.ts';

export class JsonlWriter implements PageWriter {
  private readonly file: ChunkedFile;
  rowsWritten = 0;

  constructor(outPath: string) {
    this.file = new ChunkedFile(outPath);
  }

  get bytesWritten(): number {
    return this.file.bytes;
  }

  write(p: StreamColumns): Promise<void> {
    const sym = p.symbols.map((s) => JSON.stringify(s));
    const src = p.sources.map((s) => JSON.stringify(s));
    let out = '';
    for (let i = 0; i < p.length; i++) {
      let line = `{"symbol":${sym[p.symbol[i]!]},"source":${src[p.source[i]!]},"tsUs":${p.tsUs[i]},"recvUs":${p.recvUs[i]},"bid":${p.bid[i]},"ask":${p.ask[i]}`;
      const bs = p.bidSize[i]!;
      const as = p.askSize[i]!;
      const seq = p.seq[i]!;
      if (bs === bs) line += `,"bidSize":${bs}`;
      if (as === as) line += `,"askSize":${as}`;
      if (seq === seq) line += `,"seq":${seq}`;
      if (p.noExchangeTime[i] === 1) line += ',"noExchangeTime":true';
      out += `${line}}\n`;
      if (out.length >= 1 << 20) {
        this.file.add(out);
        out = '';
      }
    }
    this.file.add(out);
    this.rowsWritten += p.length;
    return this.file.drained();
  }

  finish(): Promise<string[]> {
    return this.file.finish();
  }

  abort(): void {
    this.file.abort();
  }
}
