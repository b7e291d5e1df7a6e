// The stream's resume point as an opaque string: the last delivered tick's tsUs and symbol, and
// how many of that symbol's ticks at that tsUs were delivered. A bad one is named, not guessed at.
import { QueryError } from '../errors.ts';

export interface CursorPoint {
  tsUs: number;
  symbol: string;
  skip: number;
}

export function encodeStreamCursor(c: CursorPoint): string {
  return Buffer.from(JSON.stringify([c.tsUs, c.symbol, c.skip])).toString('base64url');
}

export function decodeStreamCursor(cursor: string): CursorPoint {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new QueryError(
      `stream cursor ${JSON.stringify(cursor.slice(0, 40))} is not a cursor this stream returned`,
    );
  }
  if (
    !Array.isArray(v) ||
    v.length !== 3 ||
    !Number.isSafeInteger(v[0]) ||
    typeof v[1] !== 'string' ||
    !Number.isSafeInteger(v[2]) ||
    (v[2] as number) < 1
  )
    throw new QueryError(
      `stream cursor ${JSON.stringify(cursor.slice(0, 40))} is malformed: expected [tsUs, symbol, skip >= 1]`,
    );
  return { tsUs: v[0] as number, symbol: v[1] as string, skip: v[2] as number };
}
