// Which quote source a chart tab shows: all of them (each as its own series) or one. Remembered
// per tab, so Live and History can look at different LPs.

/** null: every source, each drawn as its own series. */
export type SourceFilter = string | null;

export type SourceFilterTab = 'live' | 'history';

const key = (tab: SourceFilterTab) => `tickscope.sourceFilter.${tab}`;

interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The page's localStorage; reading it throws where storage is disabled. */
function storage(): KeyValueStore | undefined {
  return (globalThis as { localStorage?: KeyValueStore }).localStorage;
}

export function loadSourceFilter(tab: SourceFilterTab): SourceFilter {
  try {
    const v = storage()?.getItem(key(tab));
    return v ? v : null;
  } catch {
    return null;
  }
}

export function saveSourceFilter(tab: SourceFilterTab, value: SourceFilter): void {
  try {
    if (value === null) storage()?.removeItem(key(tab));
    else storage()?.setItem(key(tab), value);
  } catch {
    // Storage may be disabled; the filter still applies to this page.
  }
}

/** The choices offered: every source seen, plus the remembered one even before it shows up. */
export function sourceChoices(seen: Iterable<string>, current: SourceFilter): string[] {
  const all = new Set(seen);
  all.delete('');
  if (current !== null) all.add(current);
  return [...all].sort((a, b) => a.localeCompare(b));
}
