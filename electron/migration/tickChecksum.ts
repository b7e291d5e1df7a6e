// An order-independent checksum of a set of ticks: each tick (ts, bid, ask, source) hashes to 64
// bits from the exact IEEE-754 bits of its numbers, and the set's checksum is the sum mod 2^64.
// Two 32-bit halves in plain numbers: BigInt per tick would cost more than the hashing.

export interface Checksum {
  hi: number;
  lo: number;
}

const f64 = new Float64Array(3);
const u32 = new Uint32Array(f64.buffer);

function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

let outHi = 0;
let outLo = 0;

/** Hashes one tick into outHi/outLo: no object per tick on the migration's hot path. */
function hashTick(tsUs: number, bid: number, ask: number, source: string): void {
  f64[0] = tsUs;
  f64[1] = bid;
  f64[2] = ask;
  let a = 0x9747b28c;
  let b = 0x2545f491;
  for (let i = 0; i < 6; i++) {
    a = mix(a, u32[i]);
    b = mix(b, u32[5 - i] ^ 0x5bd1e995);
  }
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    a = mix(a, c);
    b = mix(b, c ^ 0x27d4eb2f);
  }
  outHi = fmix(a ^ source.length);
  outLo = fmix(b ^ (source.length << 8));
}

export function tickChecksum(tsUs: number, bid: number, ask: number, source: string): Checksum {
  hashTick(tsUs, bid, ask, source);
  return { hi: outHi, lo: outLo };
}

/** Adds h into c, mod 2^64. */
export function addChecksum(c: Checksum, h: Checksum): void {
  addHalves(c, h.hi, h.lo);
}

function addHalves(c: Checksum, hi: number, lo: number): void {
  const sum = c.lo + lo;
  c.lo = sum >>> 0;
  c.hi = (c.hi + hi + (sum > 0xffffffff ? 1 : 0)) >>> 0;
}

/** The count and checksum of a multiset of ticks, as the migration and validation keep them. */
export interface TickTally extends Checksum {
  ticks: number;
}

export function emptyTally(): TickTally {
  return { ticks: 0, hi: 0, lo: 0 };
}

export function addTickTo(t: TickTally, tsUs: number, bid: number, ask: number, source: string): void {
  hashTick(tsUs, bid, ask, source);
  t.ticks++;
  addHalves(t, outHi, outLo);
}

export function sameTally(a: TickTally, b: TickTally): boolean {
  return a.ticks === b.ticks && a.hi === b.hi && a.lo === b.lo;
}

export function checksumHex(c: Checksum): string {
  return c.hi.toString(16).padStart(8, '0') + c.lo.toString(16).padStart(8, '0');
}
