// Opens a real tick store on its own temporary data directory, driven by a hand-moved clock so
// timestamp bounds and rotation do not depend on when the test runs.
import { ManualClock } from '../../electron/engine/clock.ts';
import type { StorageConfigInput } from '../../electron/engine/config.ts';
import { openTickStore } from '../../electron/engine/tickStore.ts';
import type { TickStoreDeps } from '../../electron/engine/tickStore.ts';
import type { TickStore } from '../../electron/engine/tickStoreApi.ts';
import { makeTempDir } from './tempDir.ts';

export interface TestStore {
  store: TickStore;
  dir: string;
  clock: ManualClock;
}

export async function openTestStore(
  prefix: string,
  nowUs: number,
  settings: Partial<StorageConfigInput> = {},
  deps: Omit<TickStoreDeps, 'clock'> = {},
): Promise<TestStore> {
  const dir = settings.dataDir ?? makeTempDir(prefix);
  const clock = new ManualClock(nowUs);
  const store = await openTickStore({ ...settings, dataDir: dir }, { ...deps, clock });
  return { store, dir, clock };
}
