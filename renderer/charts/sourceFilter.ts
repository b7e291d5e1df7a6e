// Which quote source a chart tab shows: all of them (each as its own series) or one. Each tab has
// its own (view state keys liveSource and historySource), so Live and History can look at
// different LPs.

/** null: every source, each drawn as its own series. */
export type SourceFilter = string | null;

export type SourceFilterTab = 'live' | 'history';

/** The choices offered: every source seen, plus the remembered one even before it shows up. */
export function sourceChoices(seen: Iterable<string>, current: SourceFilter): string[] {
  const all = new Set(seen);
  all.delete('');
  if (current !== null) all.add(current);
  return [...all].sort((a, b) => a.localeCompare(b));
}
