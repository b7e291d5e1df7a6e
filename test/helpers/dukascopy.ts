// The Dukascopy fixtures vendored in test/fixtures/dukascopy (see its README): tick files as rows
// [ts_ms, ask, bid, askVolume, bidVolume], and the bars dukascopy-node expects from them.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TickInput } from '../../shared/tick.ts';

export const DUKASCOPY_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../fixtures/dukascopy',
);

export type DukascopyRow = [tsMs: number, ask: number, bid: number, askVol: number, bidVol: number];

export const DUKASCOPY_FILES = {
  'eurusd-2019-02-04T00.json': 'EURUSD',
  'eurusd-2026-07-13T12.json': 'EURUSD',
  'btcusd-2023-02-20T12.json': 'BTCUSD',
  'gaps-2022-05-27T07.json': 'GAPS',
} as const;
export type DukascopyFile = keyof typeof DUKASCOPY_FILES;

export function readDukascopyRows(file: string): DukascopyRow[] {
  return JSON.parse(fs.readFileSync(path.join(DUKASCOPY_DIR, file), 'utf8')) as DukascopyRow[];
}

/** The file's ticks as the engine takes them: tsUs = ts_ms * 1000, volumes as sizes. */
export function loadDukascopyTicks(file: string, symbol: string, source = 'dukascopy'): TickInput[] {
  return readDukascopyRows(file).map(([tsMs, ask, bid, askVol, bidVol]) => ({
    symbol,
    bid,
    ask,
    source,
    tsUs: tsMs * 1000,
    bidSize: bidVol,
    askSize: askVol,
  }));
}

export interface ExpectedBarsCase {
  input: string;
  timeframe: 'm1' | 'm5' | 'm15' | 'm30' | 'h1';
  price: 'bid';
  startTs: number;
  /** [bucket_start_ms, open, high, low, close, volume], or [] for a bucket without ticks. */
  expected: ([number, number, number, number, number, number] | [])[];
}

export const TIMEFRAME_SEC: Record<ExpectedBarsCase['timeframe'], number> = {
  m1: 60,
  m5: 300,
  m15: 900,
  m30: 1800,
  h1: 3600,
};

export function loadExpectedBars(): Record<string, ExpectedBarsCase> {
  return JSON.parse(fs.readFileSync(path.join(DUKASCOPY_DIR, 'expected-bars.json'), 'utf8')) as Record<
    string,
    ExpectedBarsCase
  >;
}
