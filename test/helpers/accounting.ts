// The engine's accounting identity, asserted after every flush in the fault tests:
// ticks_stored = written + duplicate + json-only + journal + queue + in transit + lost.
import assert from 'node:assert/strict';
import type { StorageStats } from '../../shared/stats.ts';
import { unaccountedTicks } from '../../shared/stats.ts';

export function assertAccounted(s: StorageStats, when: string): void {
  const parts = {
    stored: s.ticks_stored,
    written: s.ticks_written,
    duplicate: s.ticks_duplicate,
    json_only: s.json_only_ticks_written,
    journal: s.spill_pending_ticks,
    queue: s.queue_size,
    in_transit: s.spill_inflight_ticks,
    lost: s.ticks_lost,
  };
  assert.equal(
    unaccountedTicks(s),
    0,
    `${when}: every accepted tick is accounted for ${JSON.stringify(parts)}`,
  );
}
