// Decides what a file is from its first bytes: which importer reads it, or why none can.
import type { MigrationFormat } from '../../shared/migration.ts';
import { JsonRecordScanner } from './jsonRecordScanner.ts';
import { looksLikeDukascopyRecord } from './readers/dukascopyRecords.ts';
import { looksLikeTickRecord } from './readers/legacyJsonRecords.ts';
import { HISTDATA_LINE, TRUEFX_LINE } from './readers/csvTickLines.ts';
import { MT5_HEADER } from './readers/mt5TickLines.ts';

export const SNIFF_BYTES = 64 * 1024;

export interface SniffResult {
  format: MigrationFormat | null;
  problem: string | null;
  /** Records (JSON) or lines (text) seen in the head, and their bytes, for estimating ticks. */
  sampleRecords: number;
  sampleBytes: number;
  /** The first parsed JSON records, for symbol/day hints. */
  sampleValues: unknown[];
}

function isBinary(head: Buffer): boolean {
  const n = Math.min(head.length, 8192);
  let odd = 0;
  for (let i = 0; i < n; i++) {
    const c = head[i];
    if (c === 0) return true;
    if (c < 9 || (c > 13 && c < 32)) odd++;
  }
  return odd > n / 100;
}

function decodeText(head: Buffer): string {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) {
    return new TextDecoder('utf-16le').decode(head.subarray(2, head.length - (head.length % 2)));
  }
  const s = head.toString('utf8');
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

export function sniffFormat(head: Buffer, fileBytes: number): SniffResult {
  const none = (problem: string): SniffResult => ({
    format: null,
    problem,
    sampleRecords: 0,
    sampleBytes: 0,
    sampleValues: [],
  });
  if (fileBytes === 0 || head.length === 0) return none('empty file');
  const utf16 = head.length >= 2 && head[0] === 0xff && head[1] === 0xfe;
  if (!utf16 && isBinary(head)) return none('binary file: not text');
  const text = decodeText(head);
  const firstChar = text.trimStart().charAt(0);
  if (firstChar === '') return none('empty file: only whitespace');
  if (firstChar === '[' || firstChar === '{') return sniffJson(head, head.length >= fileBytes, none);
  const lines = text.split('\n');
  // The last line of the head may be cut short.
  const complete = head.length < fileBytes ? lines.slice(0, -1) : lines;
  const first = complete.find((l) => l.trim() !== '') ?? '';
  const sample = { sampleRecords: complete.length, sampleBytes: Buffer.byteLength(complete.join('\n')) };
  if (MT5_HEADER.test(first)) return { format: 'mt5', problem: null, ...sample, sampleValues: [] };
  if (TRUEFX_LINE.test(first)) return { format: 'truefx', problem: null, ...sample, sampleValues: [] };
  if (HISTDATA_LINE.test(first)) return { format: 'histdata', problem: null, ...sample, sampleValues: [] };
  return none(`not a tick file: first line ${JSON.stringify(first.slice(0, 60))} matches no known format`);
}

function sniffJson(head: Buffer, wholeFile: boolean, none: (p: string) => SniffResult): SniffResult {
  const values: unknown[] = [];
  let malformed: string | null = null;
  const scanner = new JsonRecordScanner({
    flat(keys, vals, count) {
      const o: Record<string, unknown> = {};
      for (let k = 0; k < count; k++) o[keys[k]] = vals[k];
      values.push(o);
    },
    numbers(nums, count) {
      values.push(nums.slice(0, count));
    },
    value(v) {
      values.push(v);
    },
    bad(_loc, reason) {
      malformed ??= reason;
    },
  });
  try {
    scanner.push(head);
  } catch (err) {
    return none((err as Error).message);
  }
  const lastEnd = head.length;
  if (values.length === 0) {
    // A small file read whole: say how it ends rather than that nothing was found.
    if (wholeFile && malformed === null) return none(scanner.end() ?? 'not a tick file: no JSON record');
    return none(malformed ?? 'not a tick file: no complete JSON record in the first 64 KB');
  }
  const first = values[0];
  const base = { sampleRecords: values.length, sampleBytes: lastEnd, sampleValues: values.slice(0, 200) };
  if (looksLikeDukascopyRecord(first)) return { format: 'dukascopy', problem: null, ...base };
  if (looksLikeTickRecord(first)) return { format: 'legacy-json', problem: null, ...base };
  const keys =
    first !== null && typeof first === 'object' ? Object.keys(first).slice(0, 8).join(', ') : typeof first;
  return none(`not a tick file: the first record has no time, bid and ask fields (found: ${keys})`);
}
