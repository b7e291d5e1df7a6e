// Binance bookTicker messages as the exchange writes them: decimal strings, spot without times,
// futures with "e", E (event) and T (transaction), combined streams in a {"stream","data"} envelope.
// Shared by the peer and the parse benchmark so both use the exchange's exact shape.

export interface BinanceQuoteFields {
  symbol: string;
  u: number;
  bid: string;
  ask: string;
  bidSize: string;
  askSize: string;
  eventMs: number;
  transactMs: number;
}

export function formatBookTicker(
  q: BinanceQuoteFields,
  market: 'spot' | 'futures',
  stream: string | null,
): string {
  const payload =
    market === 'futures'
      ? `{"e":"bookTicker","u":${q.u},"E":${q.eventMs},"T":${q.transactMs},"s":"${q.symbol}","b":"${q.bid}","B":"${q.bidSize}","a":"${q.ask}","A":"${q.askSize}"}`
      : `{"u":${q.u},"s":"${q.symbol}","b":"${q.bid}","B":"${q.bidSize}","a":"${q.ask}","A":"${q.askSize}"}`;
  return stream === null ? payload : `{"stream":"${stream}","data":${payload}}`;
}
