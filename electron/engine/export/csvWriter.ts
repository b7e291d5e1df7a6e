// Tick CSV: a header row, then one line per tick with the chosen columns and time format, or a
// preset's fixed layout (csvPresets.ts). Prices print as String(x), the shortest text that parses
// back to the same double.
import type { CsvColumn, CsvPreset, CsvTimeFormat, ExportRequest } from '../../../shared/export.ts';
import { CSV_COLUMNS } from '../../../shared/export.ts';
import type { StreamColumns } from '../stream/streamTypes.ts';
import { ChunkedFile } from './chunkedFile.ts';
import { CsvRowBytes } from './csvBytes.ts';
import { presetLine, presetHeader } from './csvPresets.ts';
import { IsoUs, num } from './numberText.ts';
import type { PageWriter } from './pageWriter.ts';

export class CsvWriter implements PageWriter {
  private readonly file: ChunkedFile;
  private readonly columns: readonly CsvColumn[];
  private readonly time: CsvTimeFormat;
  private readonly preset: CsvPreset | undefined;
  private readonly iso = new IsoUs();
  /** Its own cache: receive times run a little behind, in their own second. */
  private readonly recvIso = new IsoUs();
  private readonly prev = new Map<string, [number, number]>();
  private readonly rows: CsvRowBytes;
  rowsWritten = 0;

  constructor(outPath: string, csv: ExportRequest['csv'] = {}) {
    this.columns = csv.columns && csv.columns.length > 0 ? csv.columns : CSV_COLUMNS;
    this.time = csv.time ?? 'iso';
    this.preset = csv.preset;
    this.file = new ChunkedFile(outPath);
    this.file.add(this.preset ? presetHeader(this.preset) : `${this.columns.join(',')}\n`);
    this.rows = new CsvRowBytes(this.time, (chunk) => this.file.addBytes(chunk));
  }

  get bytesWritten(): number {
    return this.file.bytes;
  }

  private timeText(us: number): string {
    if (this.time === 'us') return String(us);
    if (this.time === 'ms') return String(Math.floor(us / 1000));
    return this.iso.format(us);
  }

  write(p: StreamColumns): Promise<void> {
    if (!this.preset && this.columns === CSV_COLUMNS) this.writeAll(p);
    else this.writeChosen(p);
    return this.file.drained();
  }

  private writeChosen(p: StreamColumns): void {
    let out = '';
    for (let i = 0; i < p.length; i++) {
      if (this.preset) out += presetLine(this.preset, p, i, this.prev);
      else {
        let line = '';
        for (let c = 0; c < this.columns.length; c++) {
          if (c > 0) line += ',';
          line += this.cell(this.columns[c]!, p, i);
        }
        out += `${line}\n`;
      }
      if (out.length >= 1 << 20) {
        this.file.add(out);
        out = '';
      }
    }
    this.file.add(out);
    this.rowsWritten += p.length;
  }

  /** Every column, the default: straight into bytes (csvBytes.ts). */
  private writeAll(p: StreamColumns): void {
    this.rows.write(p, p.symbols.map(csvText), p.sources.map(csvText));
    this.rowsWritten += p.length;
  }

  private recvText(us: number): string {
    return this.time === 'iso' ? this.recvIso.format(us) : this.timeText(us);
  }

  private cell(c: CsvColumn, p: StreamColumns, i: number): string {
    switch (c) {
      case 'time':
        return this.timeText(p.tsUs[i]!);
      case 'symbol':
        return csvText(p.symbols[p.symbol[i]!]!);
      case 'source':
        return csvText(p.sources[p.source[i]!]!);
      case 'bid':
        return num(p.bid[i]!);
      case 'ask':
        return num(p.ask[i]!);
      case 'bidSize':
        return num(p.bidSize[i]!);
      case 'askSize':
        return num(p.askSize[i]!);
      case 'recvTime':
        return this.recvText(p.recvUs[i]!);
      case 'seq':
        return num(p.seq[i]!);
    }
  }

  finish(): Promise<string[]> {
    this.rows.flush();
    return this.file.finish();
  }

  abort(): void {
    this.file.abort();
  }
}

/** RFC 4180 quoting, only when a name needs it. */
export function csvText(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
