// The legacy JSON backend: <jsonDir>/<SYMBOL>/<YYYY-MM-DD>.json, one JSON array per file of
// {"symbol","bid","ask","spread","timestamp","lp"}. Appends overwrite the closing bracket in a
// single positioned write, so the file is valid JSON after every flush.
import fs from 'node:fs';
import path from 'node:path';
import { formatIsoUs } from '../../../shared/time.ts';
import { decimalsOf } from './priceCodec.ts';
import { jsonDayPath } from './dayPath.ts';

interface OpenJsonFile {
  fd: number;
  /** Offset of the closing ']' (where the next append starts). */
  end: number;
  empty: boolean;
}

export class JsonDayFiles {
  private readonly dir: string;
  private readonly open = new Map<string, OpenJsonFile>();

  constructor(jsonDir: string) {
    this.dir = jsonDir;
  }

  append(symbol: string, dayIndex: number, items: string[]): void {
    if (items.length === 0) return;
    const p = jsonDayPath(this.dir, symbol, dayIndex);
    let f = this.open.get(p);
    if (!f) {
      f = openJsonFile(p);
      this.open.set(p, f);
    }
    const body = (f.empty ? '\n' : ',\n') + items.join(',\n') + '\n]\n';
    const bytes = Buffer.from(body, 'utf8');
    fs.writeSync(f.fd, bytes, 0, bytes.length, f.end);
    f.end += bytes.length - 3; // the next append overwrites "]\n" plus the newline before it
    f.empty = false;
  }

  /** Closes files of days before `dayIndex` (rotation) or all of them. */
  closeBefore(dayIndex: number | null): void {
    for (const [p, f] of this.open) {
      const day = Date.parse(path.basename(p, '.json')) / 86_400_000;
      if (dayIndex === null || day < dayIndex) {
        fs.closeSync(f.fd);
        this.open.delete(p);
      }
    }
  }

  fsyncAll(): void {
    for (const f of this.open.values()) fs.fdatasyncSync(f.fd);
  }
}

function openJsonFile(p: string): OpenJsonFile {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  const fd = fs.openSync(p, fs.constants.O_RDWR | fs.constants.O_CREAT);
  const size = fs.fstatSync(fd).size;
  let end = 1;
  let empty = true;
  if (size > 0) {
    // Find the closing bracket; a file torn mid-append is cut back to its last complete object.
    const tailLen = Math.min(size, 1 << 16);
    const base = size - tailLen;
    const tail = Buffer.alloc(tailLen);
    fs.readSync(fd, tail, 0, tailLen, base);
    const text = tail.toString('latin1');
    const close = text.lastIndexOf(']');
    const lastObj = text.lastIndexOf('}');
    if (close > lastObj && /^\s*$/.test(text.slice(close + 1))) {
      const before = text.slice(0, close).trimEnd();
      end = base + before.length;
      empty = before.endsWith('[');
    } else if (lastObj >= 0) {
      end = base + lastObj + 1;
      empty = false;
    }
  } else {
    fs.writeSync(fd, '[', 0);
  }
  fs.ftruncateSync(fd, end);
  fs.writeSync(fd, '\n]\n', end);
  return { fd, end, empty };
}

/** One legacy JSON object; the spread is rounded to the quote's own precision. */
export function legacyJsonItem(symbol: string, bid: number, ask: number, tsUs: number, lp: string): string {
  const d = Math.min(Math.max(decimalsOf(bid), decimalsOf(ask)), 10);
  const spread = Number((ask - bid).toFixed(d));
  return `{"symbol":${JSON.stringify(symbol)},"bid":${bid},"ask":${ask},"spread":${spread},"timestamp":"${formatIsoUs(tsUs)}","lp":${JSON.stringify(lp)}}`;
}
