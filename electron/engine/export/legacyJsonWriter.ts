// The legacy JSON layout, the reverse of migration: <out>/<SYMBOL>/<YYYY-MM-DD>.json, each a JSON
// array of {"symbol","bid","ask","spread","timestamp","lp"} written by the legacy backend's own
// JsonDayFiles, so what the migration reads is byte for byte what that backend wrote. The whole
// tree is built under `<out>.partial` and renamed into place at the end.
import fs from 'node:fs';
import path from 'node:path';
import { utcDayIndex } from '../../../shared/time.ts';
import { JsonDayFiles, legacyJsonItem } from '../storage/jsonDayFiles.ts';
import { jsonDayPath } from '../storage/dayPath.ts';
import type { StreamColumns } from '../stream/streamTypes.ts';
import type { PageWriter } from './pageWriter.ts';
import { partialPath } from './pageWriter.ts';

export class LegacyJsonWriter implements PageWriter {
  private readonly outDir: string;
  private readonly tmp: string;
  private readonly files: JsonDayFiles;
  private readonly written = new Set<string>();
  rowsWritten = 0;
  bytesWritten = 0;

  constructor(outDir: string) {
    if (fs.existsSync(outDir) && fs.readdirSync(outDir).length > 0)
      throw new Error(`the legacy-json output folder ${outDir} is not empty`);
    this.outDir = outDir;
    this.tmp = partialPath(outDir);
    fs.rmSync(this.tmp, { recursive: true, force: true });
    fs.mkdirSync(this.tmp, { recursive: true });
    this.files = new JsonDayFiles(this.tmp);
  }

  write(p: StreamColumns): void {
    // Group runs of one symbol and day so each append is one positioned write.
    let items: string[] = [];
    let key = '';
    let symbol = '';
    let day = 0;
    const flush = (): void => {
      if (items.length === 0) return;
      this.files.append(symbol, day, items);
      this.written.add(jsonDayPath('', symbol, day));
      for (const s of items) this.bytesWritten += s.length + 2;
      items = [];
    };
    for (let i = 0; i < p.length; i++) {
      const ts = p.tsUs[i]!;
      const s = p.symbols[p.symbol[i]!]!;
      const d = utcDayIndex(ts);
      const k = `${s}\u0000${d}`;
      if (k !== key) {
        flush();
        key = k;
        symbol = s;
        day = d;
      }
      items.push(legacyJsonItem(s, p.bid[i]!, p.ask[i]!, ts, p.sources[p.source[i]!]!));
      if (items.length >= 10_000) flush();
    }
    flush();
    this.rowsWritten += p.length;
  }

  finish(): Promise<string[]> {
    this.files.closeBefore(null);
    if (fs.existsSync(this.outDir)) fs.rmdirSync(this.outDir); // empty, checked at start
    fs.renameSync(this.tmp, this.outDir);
    return Promise.resolve([...this.written].sort().map((rel) => path.join(this.outDir, rel)));
  }

  abort(): void {
    try {
      this.files.closeBefore(null);
    } catch {
      /* closing is best effort on the way out */
    }
    fs.rmSync(this.tmp, { recursive: true, force: true });
  }
}
