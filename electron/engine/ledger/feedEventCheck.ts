// Checks a gap-ledger entry handed to TickStore.recordFeedEvent and makes the engine's own copy:
// a feed may reuse or change its object afterwards, and optional fields left out become null.
import type { FeedEvent } from '../../../shared/feeds/feedEvents.ts';
import { FEED_EVENT_KINDS, MAX_FEED_EVENT_REASON } from '../../../shared/feeds/feedEvents.ts';
import type { TimeBounds } from '../../../shared/tick.ts';
import { checkSource, checkSymbol } from '../../../shared/tick.ts';

export const MAX_FEED_ID_LENGTH = 64;

export type FeedEventProblem =
  | 'not an object'
  | 'tsUs is not an integer µs time in the accepted range'
  | 'feed is not a 1-64 character id without whitespace'
  | 'source is not a valid source name'
  | 'kind is not a known feed event kind'
  | 'symbol is neither null nor a valid symbol'
  | 'code is neither null nor an integer'
  | 'reason is not a string'
  | 'fromSeq/toSeq is neither null nor a non-negative safe integer'
  | 'sinceUs is neither null nor an integer µs time';

const KINDS = new Set<string>(FEED_EVENT_KINDS);
const FEED_ID = /^\S+$/;

const nullable = (v: unknown): unknown => (v === undefined ? null : v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

export function checkFeedEvent(
  input: unknown,
  bounds: TimeBounds,
): { event: FeedEvent; problem: null } | { event: null; problem: FeedEventProblem } {
  const bad = (problem: FeedEventProblem) => ({ event: null, problem }) as const;
  if (input === null || typeof input !== 'object') return bad('not an object');
  const e = input as Record<string, unknown>;
  const { tsUs, feed, source, kind, reason } = e;
  if (!isInt(tsUs) || tsUs < bounds.minTsUs || tsUs > bounds.maxTsUs)
    return bad('tsUs is not an integer µs time in the accepted range');
  if (typeof feed !== 'string' || feed.length > MAX_FEED_ID_LENGTH || !FEED_ID.test(feed))
    return bad('feed is not a 1-64 character id without whitespace');
  if (typeof source !== 'string' || checkSource(source) !== null)
    return bad('source is not a valid source name');
  if (typeof kind !== 'string' || !KINDS.has(kind)) return bad('kind is not a known feed event kind');
  const symbol = nullable(e.symbol);
  if (symbol !== null && checkSymbol(symbol) !== null)
    return bad('symbol is neither null nor a valid symbol');
  const code = nullable(e.code);
  if (code !== null && !isInt(code)) return bad('code is neither null nor an integer');
  if (typeof reason !== 'string') return bad('reason is not a string');
  const fromSeq = nullable(e.fromSeq);
  const toSeq = nullable(e.toSeq);
  for (const q of [fromSeq, toSeq]) {
    if (q !== null && !(isInt(q) && q >= 0))
      return bad('fromSeq/toSeq is neither null nor a non-negative safe integer');
  }
  const sinceUs = nullable(e.sinceUs);
  if (sinceUs !== null && !isInt(sinceUs)) return bad('sinceUs is neither null nor an integer µs time');
  return {
    problem: null,
    event: {
      tsUs,
      feed,
      source,
      kind: kind as FeedEvent['kind'],
      symbol: symbol as string | null,
      code: code as number | null,
      // Peers can send anything: long reasons are cut, as feedEvent() does.
      reason: reason.length > MAX_FEED_EVENT_REASON ? reason.slice(0, MAX_FEED_EVENT_REASON) : reason,
      fromSeq: fromSeq as number | null,
      toSeq: toSeq as number | null,
      sinceUs: sinceUs as number | null,
    },
  };
}
