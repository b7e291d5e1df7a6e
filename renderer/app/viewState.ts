// The view the user set up survives tab switches and reloads: one store per page holds it, the
// URL query carries it (history.replaceState, so a reload or a copied link returns to it) and
// localStorage keeps the last one for a page opened without it. On load the URL wins over
// storage, key by key. A change is written at once, so a reload right after it keeps it; only a
// burst of changes is coalesced, because Chromium throttles a page that replaces its URL hundreds
// of times a second. Inside Electron the URL is
// left alone (storage only): the shell trusts IPC only from app://tickscope/index.html exactly,
// with no query (electron/shell/appOrigin.ts), and nobody bookmarks the app's URL.
import { useCallback, useSyncExternalStore } from 'react';
import type { ViewState } from './viewStateCodec.ts';
import {
  normalizeValue,
  parseViewState,
  sameViewValue,
  tabFromHash,
  viewStateParams,
  viewStateSearch,
} from './viewStateCodec.ts';

export type { ViewState } from './viewStateCodec.ts';

export const VIEW_STORAGE_KEY = 'tickscope.view';
/** Keys of the settings remembered before there was one view state (read once, never written). */
const LEGACY_KEYS: Record<string, keyof ViewState> = {
  'tickscope.zone': 'zone',
  'tickscope.sourceFilter.live': 'liveSource',
  'tickscope.sourceFilter.history': 'historySource',
};
const WRITE_DELAY_MS = 150;

interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface ViewStateEnv {
  location: { pathname: string; search: string; hash: string };
  /** null: never write the URL (the Electron window). */
  history: { state: unknown; replaceState(data: unknown, unused: string, url?: string): void } | null;
  /** The page's localStorage; null (or a throwing getter) where storage is disabled. */
  storage(): KeyValueStore | null;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  /** ms clock for coalescing; Date.now when absent. */
  now?(): number;
}

/** The stored parameter map, or the legacy keys when nothing is stored yet. */
function readStored(storage: KeyValueStore | null): Record<string, string> {
  if (!storage) return {};
  const raw = storage.getItem(VIEW_STORAGE_KEY);
  if (raw !== null) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
      return Object.fromEntries(
        Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'),
      );
    } catch {
      return {};
    }
  }
  const legacy: Record<string, string> = {};
  for (const [storageKey, key] of Object.entries(LEGACY_KEYS)) {
    const v = storage.getItem(storageKey);
    if (v) legacy[key] = v;
  }
  return legacy;
}

export class ViewStateStore {
  private readonly env: ViewStateEnv;
  private state: ViewState;
  private readonly listeners = new Set<() => void>();
  private timer: unknown = null;
  private lastWriteMs = -Infinity;

  constructor(env: ViewStateEnv) {
    this.env = env;
    let stored: Record<string, string> = {};
    try {
      stored = readStored(env.storage());
    } catch {
      // Storage disabled: the URL and the defaults still apply.
    }
    this.state = parseViewState(env.location.search, stored);
    const hashTab = tabFromHash(env.location.hash);
    if (hashTab) this.state.tab = hashTab;
    // Written back at once: an invalid value leaves the URL, and a `#tab` becomes `?tab=`.
    this.flush();
  }

  get = (): ViewState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  set<K extends keyof ViewState>(key: K, value: ViewState[K]): void {
    const next = normalizeValue(key, value);
    if (sameViewValue(next, this.state[key])) return;
    this.state = { ...this.state, [key]: next };
    for (const l of [...this.listeners]) l();
    if (this.timer !== null) return;
    const now = this.env.now?.() ?? Date.now();
    if (now - this.lastWriteMs >= WRITE_DELAY_MS) this.flush();
    else this.timer = this.env.setTimer(() => this.flush(), WRITE_DELAY_MS);
  }

  /** Writes the URL and storage now (also on pagehide, so a reload never loses the last change). */
  flush(): void {
    if (this.timer !== null) this.env.clearTimer(this.timer);
    this.timer = null;
    this.lastWriteMs = this.env.now?.() ?? Date.now();
    const { pathname, search, hash } = this.env.location;
    const keptHash = tabFromHash(hash) ? '' : hash;
    const url = `${pathname}${viewStateSearch(this.state, search)}${keptHash}`;
    const history = this.env.history;
    if (history && url !== `${pathname}${search}${hash}`) history.replaceState(history.state, '', url);
    try {
      this.env.storage()?.setItem(VIEW_STORAGE_KEY, JSON.stringify(viewStateParams(this.state)));
    } catch {
      // Storage disabled or full: the URL still holds the view.
    }
  }
}

/** The browser globals the page store uses (spelled out: the Node-side typecheck has no DOM). */
interface PageGlobals {
  location: ViewStateEnv['location'];
  history: NonNullable<ViewStateEnv['history']>;
  /** The Electron preload bridge, present only inside the desktop app. */
  tickscope?: unknown;
  localStorage: KeyValueStore;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  addEventListener(type: 'pagehide', listener: () => void): void;
}

let pageStore: ViewStateStore | null = null;

/** The page's store, made on first use (after createConnection took the token out of the URL). */
export function viewStateStore(): ViewStateStore {
  if (pageStore) return pageStore;
  const page = globalThis as unknown as PageGlobals;
  const store = new ViewStateStore({
    location: page.location,
    history: page.tickscope === undefined ? page.history : null,
    storage: () => page.localStorage,
    setTimer: (fn, ms) => page.setTimeout(fn, ms),
    clearTimer: (h) => page.clearTimeout(h),
  });
  page.addEventListener('pagehide', () => store.flush());
  pageStore = store;
  return store;
}

/** One key of the view, and a setter that remembers it in the URL and in storage. */
export function useViewState<K extends keyof ViewState>(
  key: K,
): [ViewState[K], (value: ViewState[K]) => void] {
  const store = viewStateStore();
  const value = useSyncExternalStore(store.subscribe, () => store.get()[key]);
  const set = useCallback((v: ViewState[K]) => store.set(key, v), [store, key]);
  return [value, set];
}
