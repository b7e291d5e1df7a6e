// Reads the legacy JSON backend's files back: every file must parse as a JSON array.
import fs from 'node:fs';
import path from 'node:path';

export interface LegacyJsonTick {
  symbol: string;
  bid: number;
  ask: number;
  spread: number;
  timestamp: string;
  lp: string;
}

/** Every object of every `<jsonDir>/<SYMBOL>/<YYYY-MM-DD>.json` file (each parsed strictly). */
export function readJsonBackend(jsonDir: string): LegacyJsonTick[] {
  const out: LegacyJsonTick[] = [];
  if (!fs.existsSync(jsonDir)) return out;
  for (const sym of fs.readdirSync(jsonDir).sort()) {
    for (const f of fs.readdirSync(path.join(jsonDir, sym)).sort()) {
      if (!f.endsWith('.json')) continue;
      const items = JSON.parse(fs.readFileSync(path.join(jsonDir, sym, f), 'utf8')) as LegacyJsonTick[];
      out.push(...items);
    }
  }
  return out;
}

/** Microseconds since the epoch of an RFC 3339 timestamp with up to 6 fractional digits. */
export function isoToUs(iso: string): number {
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?Z$/.exec(iso);
  if (!m) throw new Error(`not an RFC 3339 UTC timestamp: ${iso}`);
  const frac = (m[2] ?? '').padEnd(6, '0');
  return Date.parse(`${m[1]}Z`) * 1000 + Number(frac);
}
