// Turns the feeds' gap ledger (shared/feeds/feedEvents.ts) into gaps the chart can shade: an
// outage from its disconnect to the connect that ends it, a stale spell from its start to its end,
// lost sequence numbers, refused requests.
//
// Pairing rules, and why:
// - A `connect` carries `sinceUs` = the start of the outage it ends (the tracker's downSince, the
//   same clock value as that connection's `disconnect`), so it ends exactly that disconnect; a feed
//   with several connections has one outage per connection. A `connect` without `sinceUs` is a
//   connection that was not down (start-up, a second connection) and ends nothing. A `reconnect`
//   only schedules an attempt: the feed is still down, so it is counted, not taken as the end.
// - An ending event whose start lies before the events read (a connect or stale_end with
//   `sinceUs`, a gap_filled) still yields its gap, from `sinceUs`.
// - What has not ended yet is open: it runs to min(toUs, nowUs) and says so.
import type { FeedEvent } from '../../../shared/feeds/feedEvents.ts';
import type { ChartGap } from './chartGap.ts';

export interface FeedGapOptions {
  /** The chart's symbol: other symbols' per-symbol events are left out (feed-wide ones stay). */
  symbol?: string;
  /** Only events of these quote sources (the chart's source filter); all when absent. */
  sources?: readonly string[];
  /** The chart's range, µs: gaps wholly outside it are dropped. */
  fromUs: number;
  toUs: number;
  /** The current time, µs: where a gap that has not ended stops. */
  nowUs: number;
}

interface Outage {
  event: FeedEvent;
  attempts: number;
}

interface FeedState {
  outages: Outage[];
  stale: Map<string, FeedEvent>;
  lostSeq: FeedEvent[];
}

/** The event's reason, led by its code ('close 1006: ...' for a WebSocket, 'code 3: ...' for FIX). */
function codedReason(e: FeedEvent, label: string): string {
  if (e.code === null) return e.reason;
  return e.reason ? `${label} ${e.code}: ${e.reason}` : `${label} ${e.code}`;
}

function outageDetail(o: Outage): string {
  const base = codedReason(o.event, 'close');
  if (o.attempts === 0) return base;
  return `${base}; ${o.attempts} reconnect attempt${o.attempts === 1 ? '' : 's'}`;
}

function base(
  e: FeedEvent,
  fromUs: number,
  toUs: number,
  cause: ChartGap['cause'],
  detail: string,
): ChartGap {
  const gap: ChartGap = { fromUs, toUs, cause, detail, feed: e.feed, source: e.source };
  if (e.symbol !== null) gap.symbol = e.symbol;
  return gap;
}

const sameSpan = (a: FeedEvent, b: FeedEvent) => a.fromSeq === b.fromSeq && a.toSeq === b.toSeq;

/** The feed-side gaps of a chart's range, sorted by start. */
export function gapsFromFeedEvents(events: readonly FeedEvent[], opts: FeedGapOptions): ChartGap[] {
  const endOpen = Math.min(opts.toUs, opts.nowUs);
  const sources = opts.sources ? new Set(opts.sources) : null;
  const ordered = events
    .filter(
      (e) =>
        (sources === null || sources.has(e.source)) &&
        (e.symbol === null || opts.symbol === undefined || e.symbol === opts.symbol),
    )
    .sort((a, b) => a.tsUs - b.tsUs);
  const feeds = new Map<string, FeedState>();
  const out: ChartGap[] = [];

  for (const e of ordered) {
    let f = feeds.get(e.feed);
    if (!f) feeds.set(e.feed, (f = { outages: [], stale: new Map(), lostSeq: [] }));
    switch (e.kind) {
      case 'disconnect':
        f.outages.push({ event: e, attempts: 0 });
        break;
      case 'reconnect':
        for (const o of f.outages) o.attempts++;
        break;
      case 'connect': {
        if (e.sinceUs === null) break;
        const i = f.outages.findIndex((o) => o.event.tsUs === e.sinceUs);
        if (i >= 0) {
          const [o] = f.outages.splice(i, 1);
          out.push(base(o.event, o.event.tsUs, e.tsUs, 'disconnected', outageDetail(o)));
        } else {
          out.push(base(e, e.sinceUs, e.tsUs, 'disconnected', `down since before this range; ${e.reason}`));
        }
        break;
      }
      case 'stale_start': {
        const key = e.symbol ?? '';
        if (!f.stale.has(key)) f.stale.set(key, e);
        break;
      }
      case 'stale_end': {
        const key = e.symbol ?? '';
        const start = f.stale.get(key);
        f.stale.delete(key);
        if (start) out.push(base(start, start.tsUs, e.tsUs, 'stale', start.reason));
        else if (e.sinceUs !== null)
          out.push(base(e, e.sinceUs, e.tsUs, 'stale', 'stale since before this range'));
        break;
      }
      case 'sequence_gap':
        f.lostSeq.push(e);
        break;
      case 'gap_filled': {
        const i = f.lostSeq.findIndex((g) => sameSpan(g, e));
        const lost = i >= 0 ? f.lostSeq.splice(i, 1)[0] : null;
        const from = e.sinceUs ?? lost?.tsUs ?? e.tsUs;
        const what = lost ? lost.reason : `sequence ${e.fromSeq}-${e.toSeq} missing`;
        out.push(base(lost ?? e, Math.min(from, e.tsUs), e.tsUs, 'sequence-gap', `${what}; ${e.reason}`));
        break;
      }
      case 'rejected':
        out.push(base(e, e.tsUs, e.tsUs, 'rejected', codedReason(e, 'code')));
        break;
    }
  }

  for (const f of feeds.values()) {
    for (const o of f.outages) {
      const g = base(o.event, o.event.tsUs, Math.max(o.event.tsUs, endOpen), 'disconnected', outageDetail(o));
      g.open = true;
      out.push(g);
    }
    for (const s of f.stale.values()) {
      const g = base(s, s.tsUs, Math.max(s.tsUs, endOpen), 'stale', s.reason);
      g.open = true;
      out.push(g);
    }
    // Never filled (or a feed that cannot ask for a resend): the loss is an instant.
    for (const g of f.lostSeq) out.push(base(g, g.tsUs, g.tsUs, 'sequence-gap', g.reason));
  }

  return out
    .filter((g) => g.toUs >= opts.fromUs && g.fromUs <= opts.toUs)
    .sort((a, b) => a.fromUs - b.fromUs || a.toUs - b.toUs);
}
