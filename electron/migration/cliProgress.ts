// Progress on stderr: a redrawn bar with ticks/s and ETA on a terminal, plain lines otherwise
// (logs and CI), so stdout stays clean for the JSON summary.
import type { MigrationProgress } from '../../shared/migration.ts';

function fmtCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

function fmtEta(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '--';
  if (s < 60) return `${Math.ceil(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.ceil(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function progressLine(p: MigrationProgress): string {
  return (
    `${p.phase} ${(p.fraction * 100).toFixed(1)}% files ${p.filesDone}/${p.filesTotal}` +
    ` ticks ${fmtCount(p.ticksRead)} (${fmtCount(p.ticksPerSec)}/s) rejected ${p.ticksRejected}` +
    ` ETA ${fmtEta(p.etaSec)}`
  );
}

export function createCliProgress(stream: NodeJS.WriteStream): {
  update(p: MigrationProgress): void;
  line(text: string): void;
  done(): void;
} {
  const tty = stream.isTTY === true;
  let lastPlain = 0;
  let drawn = false;
  return {
    update(p) {
      if (tty) {
        const width = 28;
        const filled = Math.round(p.fraction * width);
        const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
        const cols = stream.columns ?? 100;
        stream.write(`\r${`${bar} ${progressLine(p)}`.slice(0, cols - 1)}\x1b[K`);
        drawn = true;
        return;
      }
      const now = Date.now();
      const final = p.phase !== 'migrating' && p.phase !== 'scanning';
      if (final || now - lastPlain >= 2000) {
        lastPlain = now;
        stream.write(`${progressLine(p)}\n`);
      }
    },
    line(text) {
      if (tty && drawn) stream.write('\r\x1b[K');
      stream.write(`${text}\n`);
    },
    done() {
      if (tty && drawn) stream.write('\n');
    },
  };
}
