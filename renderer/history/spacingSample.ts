// How long a symbol normally goes without a tick, learned once on a wide sample around the
// selection rather than on each view: a zoomed view holds too few pauses to tell an ordinary one
// from an outage (twelve minutes of a sparse instrument flag its 73 s pause with its 116 s one),
// and the shading must not change as the user zooms. Learned per source filter, since one LP
// alone quotes more sparsely than all of them together.
import type { TickscopeApi } from '../../shared/ipc/contract.ts';
import { US_PER_HOUR } from '../../shared/time.ts';
import { learnNormalSpacingUs } from '../charts/gaps/gapFinder.ts';
import type { SourceFilter } from '../charts/sourceFilter.ts';

/** The sample spans this much either side of the view it is taken for. */
export const SAMPLE_HALF_SPAN_US = 2 * US_PER_HOUR;
/** At most this many ticks (a busy symbol's sample covers less time, and needs less). */
export const SAMPLE_LIMIT = 20_000;
/** Fewer ticks than this say too little; views then learn from their own ticks. */
const MIN_SAMPLE = 50;

export class SpacingSample {
  private readonly api: TickscopeApi;
  private key = '';
  private times: number[] = [];
  private sources: string[] = [];
  private ready = false;
  private readonly learned = new Map<string, number>();

  constructor(api: TickscopeApi) {
    this.api = api;
  }

  /** Takes a sample of `symbol` around `centerUs` (once per symbol and day); `onReady` when in. */
  take(symbol: string, centerUs: number, onReady: () => void): void {
    const key = `${symbol}@${Math.floor(centerUs / (24 * US_PER_HOUR))}`;
    if (this.key === key) return;
    this.key = key;
    this.ready = false;
    this.learned.clear();
    const from = Math.max(31_536_000_000_000, Math.round(centerUs - SAMPLE_HALF_SPAN_US));
    this.api
      .call('ticks.range', {
        symbol,
        fromUs: from,
        toUs: Math.round(centerUs + SAMPLE_HALF_SPAN_US),
        limit: SAMPLE_LIMIT,
        // Only times and sources are learned from: the sizes would cost a third more to read.
        sizes: false,
      })
      .then(
        (page) => {
          if (this.key !== key) return;
          this.times = page.tsUs;
          this.sources = page.source.map((i) => page.sources[i] ?? '');
          this.ready = true;
          onReady();
        },
        () => {
          // Without a sample each view learns from its own ticks.
        },
      );
  }

  /** The learned threshold (µs) for the filter; undefined until the sample is in or if it is thin. */
  thresholdUs(filter: SourceFilter): number | undefined {
    if (!this.ready) return undefined;
    const key = filter ?? '';
    let t = this.learned.get(key);
    if (t === undefined) {
      const times = filter === null ? this.times : this.times.filter((_, i) => this.sources[i] === filter);
      t = times.length >= MIN_SAMPLE ? learnNormalSpacingUs(times) : Number.NaN;
      this.learned.set(key, t);
    }
    return Number.isNaN(t) ? undefined : t;
  }
}
