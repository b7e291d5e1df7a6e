// Which symbols a search text matches, best first: the same symbol, then those starting with
// the text, then those containing it (earliest first), each group by name. Separators are
// ignored on both sides, so 'eur/usd', 'EUR-USD' and 'eurusd' all find EURUSD.

const normal = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '');

export function matchSymbols(symbols: readonly string[], query: string, limit = Infinity): string[] {
  const q = normal(query);
  const byName = (a: string, b: string) => a.localeCompare(b);
  if (q === '') return [...symbols].sort(byName).slice(0, limit);
  const ranked: { symbol: string; rank: number }[] = [];
  for (const symbol of symbols) {
    const n = normal(symbol);
    const at = n.indexOf(q);
    if (at < 0) continue;
    // 0: exact, 1: prefix, 2 + position: contains.
    ranked.push({ symbol, rank: n === q ? 0 : at === 0 ? 1 : 2 + at });
  }
  ranked.sort((a, b) => a.rank - b.rank || byName(a.symbol, b.symbol));
  return ranked.slice(0, limit).map((r) => r.symbol);
}
