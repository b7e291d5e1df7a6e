// Numbers as text: the shortest string that parses back to the same double, and '' for a
// missing value (NaN in the stream's columns).
export function num(x: number): string {
  return x === x ? String(x) : '';
}

/** Epoch µs -> `YYYY-MM-DDTHH:MM:SS.uuuuuuZ`; the second's prefix is cached (ticks share seconds). */
export class IsoUs {
  private sec = NaN;
  private prefix = '';

  format(tsUs: number): string {
    const sec = Math.floor(tsUs / 1e6);
    if (sec !== this.sec) {
      this.sec = sec;
      this.prefix = new Date(sec * 1000).toISOString().slice(0, 19);
    }
    return `${this.prefix}.${String(tsUs - sec * 1e6).padStart(6, '0')}Z`;
  }
}
