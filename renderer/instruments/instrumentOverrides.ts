// The user's per-symbol instrument overrides (decimals, pip size), kept in localStorage so they
// survive reloads, and the checks that turn the settings form's text into one.
import type { InstrumentOverride } from '../format/instrument.ts';
import { MAX_DECIMALS } from '../format/instrument.ts';

export type OverrideMap = Record<string, InstrumentOverride>;

export const OVERRIDES_KEY = 'tickscope.instruments.v1';
const MAX_PIP_SIZE = 1_000_000;

interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The page's localStorage; reading it throws where storage is disabled. */
function pageStorage(): KeyValueStore | undefined {
  return (globalThis as { localStorage?: KeyValueStore }).localStorage;
}

const validDecimals = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_DECIMALS;
const validPipSize = (v: unknown): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= MAX_PIP_SIZE;

/** Overrides from stored JSON; anything malformed (hand-edited, an older shape) is dropped. */
export function parseOverrides(text: string | null): OverrideMap {
  if (!text) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return {};
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const out: OverrideMap = {};
  for (const [symbol, o] of Object.entries(raw as Record<string, unknown>)) {
    if (!o || typeof o !== 'object') continue;
    const { decimals, pipSize } = o as Record<string, unknown>;
    const entry: InstrumentOverride = {};
    if (validDecimals(decimals)) entry.decimals = decimals;
    if (validPipSize(pipSize)) entry.pipSize = pipSize;
    if (entry.decimals !== undefined || entry.pipSize !== undefined) out[symbol] = entry;
  }
  return out;
}

export function loadOverrides(store: KeyValueStore | undefined = pageStorage()): OverrideMap {
  try {
    return parseOverrides(store?.getItem(OVERRIDES_KEY) ?? null);
  } catch {
    return {};
  }
}

export function saveOverrides(map: OverrideMap, store: KeyValueStore | undefined = pageStorage()): void {
  try {
    store?.setItem(OVERRIDES_KEY, JSON.stringify(map));
  } catch {
    // Storage may be disabled or full; the override still applies to this page.
  }
}

export type OverrideDraftResult =
  | { ok: true; override: InstrumentOverride | null }
  | { ok: false; errors: { decimals?: string; pipSize?: string } };

/**
 * The settings row's two text fields as an override: an empty field keeps the learned value;
 * both empty means no override at all (null).
 */
export function parseOverrideDraft(decimalsText: string, pipSizeText: string): OverrideDraftResult {
  const errors: { decimals?: string; pipSize?: string } = {};
  const override: InstrumentOverride = {};
  const d = decimalsText.trim();
  if (d !== '') {
    if (/^\d+$/.test(d) && validDecimals(Number(d))) override.decimals = Number(d);
    else errors.decimals = `Decimals must be a whole number from 0 to ${MAX_DECIMALS}`;
  }
  const p = pipSizeText.trim();
  if (p !== '') {
    const v = /^(\d+(\.\d*)?|\.\d+)(e-?\d+)?$/i.test(p) ? Number(p) : Number.NaN;
    if (validPipSize(v)) override.pipSize = v;
    else errors.pipSize = 'Pip size must be a positive number such as 0.0001';
  }
  if (errors.decimals || errors.pipSize) return { ok: false, errors };
  return { ok: true, override: Object.keys(override).length > 0 ? override : null };
}
