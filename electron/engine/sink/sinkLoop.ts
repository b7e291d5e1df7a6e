// The follow loop: a pass, then a pause (the poll interval once caught up, the backoff after a
// failed insert), until stopped. Status goes out after every pass.
import { backoffMs } from '../writing/backoff.ts';
import type { SinkStatus } from '../../../shared/sinkStatus.ts';
import type { SinkFollower } from './sinkFollower.ts';

export interface SinkLoopDeps {
  follower: SinkFollower;
  pollMs: number;
  stopped: () => boolean;
  report: (s: SinkStatus) => void;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function runSinkLoop(d: SinkLoopDeps): Promise<void> {
  const sleep = d.sleep ?? defaultSleep;
  while (!d.stopped()) {
    let wait = d.pollMs;
    try {
      const rows = await d.follower.step();
      if (rows > 0) wait = 0;
    } catch {
      wait = backoffMs(d.follower.status().failures - 1, 5_000);
    }
    d.report(d.follower.status());
    if (wait > 0) await sleep(wait);
  }
}
