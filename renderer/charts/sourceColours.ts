// Which colour each quote source gets in a chart. A chart with one source keeps the bid/ask
// colours; with several, each source gets its own colour (bid solid, ask dashed). A source's
// colour comes from its name, so the same LP has the same colour in Live and History; two names
// that land on one colour take the next free one.

/** Mirrored by the .src-N classes in styles.css (legend swatches; the CSP forbids inline styles). */
export const SOURCE_PALETTE = [
  '#4aa3ff',
  '#ff8c42',
  '#43c47a',
  '#d36cf0',
  '#ffd54f',
  '#4dd0e1',
  '#ef5350',
  '#a1887f',
] as const;

function nameHash(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/**
 * Gives `source` a palette index not used by `taken` (the sources already drawn keep theirs);
 * when all are taken, colours repeat.
 */
export function pickSourceColour(source: string, taken: ReadonlySet<number>): number {
  const n = SOURCE_PALETTE.length;
  const start = nameHash(source) % n;
  for (let k = 0; k < n; k++) {
    const i = (start + k) % n;
    if (!taken.has(i)) return i;
  }
  return start;
}
