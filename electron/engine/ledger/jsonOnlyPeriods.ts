// When the backend was `json` (JSON-only), and how many ticks it accepted meanwhile: those ticks
// are only in the legacy JSON files, which History (reading the SQLite day files) cannot see.
// Kept in a small file in the data folder, replaced atomically on every change and every few
// seconds while a period is open, so it survives a restart. A period still open at a start in
// json mode stays open; at a start in another mode it ends at the last time the file was saved.
import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { JsonOnlyPeriod } from '../../../shared/catalog.ts';
import type { Backend } from '../../../shared/stats.ts';
import type { Clock } from '../clock.ts';
import { writeFileAtomic } from '../fs/writeFileAtomic.ts';

export const JSON_ONLY_PERIODS_FILE = 'json-only-periods.json';
const FORMAT_VERSION = 1;

interface PeriodsFile {
  version: number;
  periods: JsonOnlyPeriod[];
  /** When the file was written: where an open period ends if the next start is not in json mode. */
  savedUs: number;
}

interface OpenPeriod {
  fromUs: number;
  /** Ticks counted before this run took the period over. */
  earlierTicks: number;
  /** The accepted-tick counter when this run took it over. */
  counterAtStart: number;
}

export interface JsonOnlyPeriodsDeps {
  dataDir: string;
  clock: Clock;
  /** Ticks accepted so far this run (a counter that only grows). */
  accepted: () => number;
  /** Something went wrong with the file, in words (the engine makes it an incident). */
  onProblem: (message: string) => void;
}

export class JsonOnlyPeriods {
  readonly file: string;
  private readonly deps: JsonOnlyPeriodsDeps;
  private readonly ended: JsonOnlyPeriod[] = [];
  private open: OpenPeriod | null = null;
  private writing: Promise<void> = Promise.resolve();
  private savedTicks = -1;

  private constructor(deps: JsonOnlyPeriodsDeps) {
    this.deps = deps;
    this.file = path.join(deps.dataDir, JSON_ONLY_PERIODS_FILE);
  }

  /** Reads the data folder's periods and applies the backend the engine starts with. */
  static async load(deps: JsonOnlyPeriodsDeps, backend: Backend): Promise<JsonOnlyPeriods> {
    const p = new JsonOnlyPeriods(deps);
    const stored = await p.read();
    let changed = false;
    if (stored) {
      for (const period of stored.periods) {
        if (period.toUs !== null) p.ended.push(period);
        else if (backend === 'json')
          p.open = { fromUs: period.fromUs, earlierTicks: period.ticks, counterAtStart: deps.accepted() };
        else {
          // Recording stopped in json mode and starts in another: the last save is the best end known.
          p.ended.push({ ...period, toUs: Math.max(period.fromUs, stored.savedUs) });
          changed = true;
        }
      }
    }
    if (backend === 'json' && !p.open) {
      p.start();
      changed = true;
    }
    if (changed) await p.save();
    return p;
  }

  /** Oldest first; an open period has toUs null and the ticks accepted so far. */
  list(): JsonOnlyPeriod[] {
    const out = this.ended.map((x) => ({ ...x }));
    if (this.open) out.push({ fromUs: this.open.fromUs, toUs: null, ticks: this.openTicks() });
    return out;
  }

  /**
   * The backend changed (call at the moment the new sinks take effect, so the tick count splits
   * exactly there). Resolves when the change is saved.
   */
  backendChanged(backend: Backend): Promise<void> {
    if (backend === 'json' && !this.open) this.start();
    else if (backend !== 'json' && this.open) {
      this.ended.push({ fromUs: this.open.fromUs, toUs: this.deps.clock.nowUs(), ticks: this.openTicks() });
      this.open = null;
    } else return this.writing;
    return this.save();
  }

  /** Housekeeping: an open period's count is saved when it grew, so a crash loses little of it. */
  saveIfChanged(): Promise<void> {
    if (!this.open || this.openTicks() === this.savedTicks) return this.writing;
    return this.save();
  }

  /** At stop: the final count and time, an open period left open for the next start. */
  close(): Promise<void> {
    return this.save();
  }

  private start(): void {
    this.open = { fromUs: this.deps.clock.nowUs(), earlierTicks: 0, counterAtStart: this.deps.accepted() };
  }

  private openTicks(): number {
    const o = this.open;
    return o ? o.earlierTicks + this.deps.accepted() - o.counterAtStart : 0;
  }

  /** Saves are chained, each with the state at its call, so the file ends with the newest. */
  private save(): Promise<void> {
    const ticks = this.openTicks();
    const body: PeriodsFile = {
      version: FORMAT_VERSION,
      periods: this.list(),
      savedUs: this.deps.clock.nowUs(),
    };
    const text = `${JSON.stringify(body, null, 1)}\n`;
    this.writing = this.writing
      .then(() => writeFileAtomic(this.file, text))
      .then(
        () => {
          this.savedTicks = ticks;
        },
        (e: unknown) => this.deps.onProblem(`${this.file} could not be saved: ${(e as Error).message}`),
      );
    return this.writing;
  }

  /** The stored file; null when there is none or it is unreadable (then it is kept aside). */
  private async read(): Promise<PeriodsFile | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') return null;
      this.deps.onProblem(`${this.file} could not be read (${(e as Error).message}); starting a new list`);
      return null;
    }
    const parsed = parsePeriodsFile(text);
    if (parsed) return parsed;
    const aside = `${this.file}.unreadable`;
    await rename(this.file, aside).catch(() => undefined);
    this.deps.onProblem(
      `${this.file} is not a list of JSON-only periods; kept as ${aside}, starting a new list`,
    );
    return null;
  }
}

function isTime(v: unknown): v is number {
  return Number.isSafeInteger(v) && (v as number) >= 0;
}

/** The file's content when it is well formed: periods in order, at most the last one open. */
export function parsePeriodsFile(text: string): PeriodsFile | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  const f = v as Partial<PeriodsFile> | null;
  if (f === null || typeof f !== 'object' || f.version !== FORMAT_VERSION || !isTime(f.savedUs)) return null;
  if (!Array.isArray(f.periods)) return null;
  const periods: JsonOnlyPeriod[] = [];
  for (const [i, p] of f.periods.entries()) {
    const x = p as Partial<JsonOnlyPeriod> | null;
    if (x === null || typeof x !== 'object' || !isTime(x.fromUs) || !isTime(x.ticks)) return null;
    const toUs = x.toUs;
    if (toUs === null ? i !== f.periods.length - 1 : !isTime(toUs) || toUs < x.fromUs) return null;
    periods.push({ fromUs: x.fromUs, toUs: toUs ?? null, ticks: x.ticks });
  }
  return { version: f.version, periods, savedUs: f.savedUs };
}
