// The page's side of a replay: starts and controls it over `replay.*`, tracks its state from
// the replies and `replay.state` events, routes `replay.ticks` into a ReplayFeed for the chart,
// and marks the page as a replay (document.title) while one runs. Leaving Live stops it.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReplaySpeed, ReplayState } from '../../shared/replay.ts';
import { errorText, useApp } from '../app/hooks.ts';
import { ReplayFeed } from './replayFeed.ts';

export const REPLAY_TITLE_PREFIX = 'REPLAY · ';

/** Clock-only state updates reach React at most this often (the player sends ~60 a second). */
const CLOCK_RENDER_MS = 100;

export interface ReplayRun {
  symbol: string;
  source: string | null;
  fromUs: number;
}

export type ReplayCommand =
  | { action: 'play' | 'pause' | 'step' | 'skipWait' }
  | { action: 'seek'; toUs: number }
  | { action: 'speed'; speed: ReplaySpeed };

export interface ReplayHandle {
  /** Null when no replay runs (live). */
  state: ReplayState | null;
  run: ReplayRun | null;
  /** Bumped by every start and seek: the chart shows one session's ticks from empty. */
  session: number;
  feed: ReplayFeed;
  error: string | null;
  busy: boolean;
  start(run: ReplayRun, speed: ReplaySpeed): void;
  control(command: ReplayCommand): void;
  /** Back to live. */
  stop(): void;
}

export function useReplay(): ReplayHandle {
  const { api, epoch } = useApp();
  const [feed] = useState(() => new ReplayFeed());
  const [state, setState] = useState<ReplayState | null>(null);
  const [run, setRun] = useState<ReplayRun | null>(null);
  const [session, setSession] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const activeRef = useRef(false);
  const latest = useRef<ReplayState | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const show = useCallback((s: ReplayState | null, now: boolean) => {
    const prev = latest.current;
    latest.current = s;
    const urgent = now || !prev || !s || prev.phase !== s.phase || prev.speed !== s.speed;
    if (urgent) {
      if (timer.current !== null) clearTimeout(timer.current);
      timer.current = null;
      setState(s);
    } else if (timer.current === null) {
      timer.current = setTimeout(() => {
        timer.current = null;
        setState(latest.current);
      }, CLOCK_RENDER_MS);
    }
  }, []);

  const toLive = useCallback(() => {
    activeRef.current = false;
    feed.begin();
    setSession(feed.session);
    setRun(null);
    show(null, true);
  }, [feed, show]);

  useEffect(() => {
    const offTicks = api.on('replay.ticks', (p) => {
      if (activeRef.current) feed.push(p.ticks, p.clockUs);
    });
    const offState = api.on('replay.state', (s) => {
      if (activeRef.current && s.phase !== 'idle') show(s, false);
    });
    return () => {
      offTicks();
      offState();
    };
  }, [api, feed, show]);

  // The server ends a caller's replay with its socket: after a reconnect the page is live again.
  const [seenEpoch, setSeenEpoch] = useState(epoch);
  if (seenEpoch !== epoch) {
    setSeenEpoch(epoch);
    setState(null);
    setRun(null);
  }
  useEffect(() => {
    activeRef.current = false;
    latest.current = null;
    feed.begin();
  }, [epoch, feed]);

  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
      if (activeRef.current) api.call('replay.control', { action: 'stop' }).catch(() => {});
    },
    [api],
  );

  const active = state !== null;
  useEffect(() => {
    if (!active) return;
    const base = document.title.startsWith(REPLAY_TITLE_PREFIX)
      ? document.title.slice(REPLAY_TITLE_PREFIX.length)
      : document.title;
    document.title = REPLAY_TITLE_PREFIX + base;
    return () => {
      document.title = base;
    };
  }, [active]);

  const fail = (err: unknown) => setError(errorText(err));

  const start = (r: ReplayRun, speed: ReplaySpeed) => {
    setError(null);
    setBusy(true);
    api
      .call('replay.start', {
        symbols: [r.symbol],
        ...(r.source ? { sources: [r.source] } : {}),
        fromUs: r.fromUs,
        speed,
      })
      .then((s) => {
        activeRef.current = true;
        setSession(feed.begin());
        setRun(r);
        show(s, true);
      }, fail)
      .finally(() => setBusy(false));
  };

  const control = (c: ReplayCommand) => {
    if (!activeRef.current) return;
    setError(null);
    const input = c.action === 'seek' ? c : c.action === 'speed' ? c : { action: c.action };
    api.call('replay.control', input).then((s) => {
      if (!activeRef.current) return;
      if (c.action === 'seek') setSession(feed.begin());
      show(s, true);
    }, fail);
  };

  const stop = () => {
    const was = activeRef.current;
    toLive();
    setError(null);
    if (was) api.call('replay.control', { action: 'stop' }).catch(fail);
  };

  return { state, run, session, feed, error, busy, start, control, stop };
}
