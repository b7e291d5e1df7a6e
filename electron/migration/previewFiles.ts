// The first rows of a file as they would be stored: shown before committing to a migration.
import type { ImportOptions, PreviewResult, PreviewRow, TickRejection } from '../../shared/migration.ts';
import { formatIsoUs } from '../../shared/time.ts';
import { planFile } from './fileFormat.ts';
import type { FilePlan } from './fileFormat.ts';
import { listSourceFiles } from './sourceFiles.ts';
import { readTickFile } from './tickFileReader.ts';

class PreviewDone extends Error {}

export async function previewPlan(plan: FilePlan, opts: ImportOptions, rows: number): Promise<PreviewResult> {
  const out: PreviewResult = {
    path: plan.file.rel,
    format: plan.format,
    rows: [],
    rejected: [],
    notes: [],
    problem: plan.problem,
  };
  if (plan.format === null) return out;
  const stop = new AbortController();
  try {
    const r = await readTickFile({
      absPath: plan.file.abs,
      relPath: plan.file.rel,
      format: plan.format,
      batchSize: Math.max(1, rows),
      serverOffsetHours: opts.serverOffsetHours,
      fallbackSymbol: plan.fallbackSymbol,
      hash: false,
      signal: stop.signal,
      onReject: (location, reason) => {
        if (out.rejected.length < rows)
          out.rejected.push({ file: plan.file.rel, location, reason } as TickRejection);
      },
      onBatch: async (b, locKind) => {
        for (let i = 0; i < b.count && out.rows.length < rows; i++) {
          const row: PreviewRow = {
            location: `${locKind} ${b.loc[i]}`,
            symbol: b.symbols[b.sym[i]],
            tsUs: b.tsUs[i],
            time: Number.isFinite(b.tsUs[i]) ? formatIsoUs(b.tsUs[i]) : String(b.tsUs[i]),
            bid: b.bid[i],
            ask: b.ask[i],
            source: b.src[i] >= 0 ? b.sources[b.src[i]] : null,
          };
          out.rows.push(row);
        }
        if (out.rows.length >= rows) throw new PreviewDone();
      },
    });
    out.notes = r.notes;
    if (r.structureProblem) out.problem = r.structureProblem;
  } catch (err) {
    if (!(err instanceof PreviewDone)) out.problem = (err as Error).message;
  }
  return out;
}

/** One preview per format found (or of the one file asked for). */
export async function previewFiles(
  inputDir: string,
  opts: ImportOptions,
  select: { path?: string; rows: number },
): Promise<PreviewResult[]> {
  const { files } = await listSourceFiles(inputDir);
  const chosen = select.path ? files.filter((f) => f.rel === select.path) : files;
  if (select.path && chosen.length === 0) {
    return [
      {
        path: select.path,
        format: null,
        rows: [],
        rejected: [],
        notes: [],
        problem: 'no such tick file in the folder',
      },
    ];
  }
  const seen = new Set<string>();
  const out: PreviewResult[] = [];
  for (const f of chosen) {
    const plan = await planFile(f, opts);
    if (plan.format === null || seen.has(plan.format)) continue;
    seen.add(plan.format);
    out.push(await previewPlan(plan, opts, select.rows));
    if (seen.size >= 5) break;
  }
  return out;
}

export function formatPreviewText(previews: PreviewResult[]): string {
  const lines: string[] = [];
  for (const p of previews) {
    lines.push(`${p.path} [${p.format ?? 'unknown'}]${p.problem ? `: ${p.problem}` : ''}`);
    for (const n of p.notes) lines.push(`  note: ${n}`);
    for (const r of p.rows) {
      lines.push(
        `  ${r.location.padEnd(12)} ${r.symbol.padEnd(10)} ${r.time}  bid ${r.bid}  ask ${r.ask}  ${r.source ?? '(default source)'}`,
      );
    }
    for (const r of p.rejected) lines.push(`  ${r.location.padEnd(12)} REJECTED ${r.reason}`);
  }
  return `${lines.join('\n')}\n`;
}
