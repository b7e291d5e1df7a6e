// A feed hands the sink one tick object for every quote (the engine copies what it keeps), so a
// busy feed makes no garbage per message. Every field is present from the start, so the object
// keeps one shape however the feed fills it.
import type { TickInput } from '../../../shared/tick.ts';

export function reusableTick(source: string): TickInput {
  return {
    symbol: '',
    bid: 0,
    ask: 0,
    bidSize: 0,
    askSize: 0,
    source,
    tsUs: 0,
    recvUs: 0,
    seq: 0,
    noExchangeTime: false,
  };
}
