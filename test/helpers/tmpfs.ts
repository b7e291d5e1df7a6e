// Small real file systems for disk faults: a tmpfs that fills up, or turns read-only, under the
// engine's feet. Mounting needs root (CI runs as root); elsewhere the test prints why it skipped.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';

export interface Tmpfs {
  dir: string;
  /** Writes a file that takes whatever space is left; returns its path. */
  fill(): string;
  /**
   * Lays a read-only file system over the folder: files already open keep being written, but
   * nothing new can be created in it (a remount fails while files are open for writing).
   */
  coverReadOnly(): void;
  unmount(): void;
}

export function mountTmpfs(t: TestContext, target: string, size: string, readOnly = false): Tmpfs | null {
  fs.mkdirSync(target, { recursive: true });
  const opts = `size=${size}${readOnly ? ',ro' : ''}`;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', target], { stdio: 'pipe' });
  } catch (e) {
    const why = `cannot mount a tmpfs here (${(e as Error).message.split('\n')[0]}); run the tests as root`;
    console.log(`# skipped: ${why}`);
    t.skip(why);
    return null;
  }
  let mounted = true;
  let covers = 0;
  return {
    dir: target,
    fill() {
      const filler = path.join(target, `filler-${Date.now()}.bin`);
      const fd = fs.openSync(filler, 'w');
      const chunk = Buffer.alloc(256 * 1024, 1);
      try {
        for (;;) fs.writeSync(fd, chunk);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
        // Smaller writes take the last partial chunk too.
        try {
          for (;;) fs.writeSync(fd, chunk, 0, 4096);
        } catch {
          // full
        }
      } finally {
        fs.closeSync(fd);
      }
      return filler;
    },
    coverReadOnly() {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', target], { stdio: 'pipe' });
      covers++;
    },
    unmount() {
      if (!mounted) return;
      mounted = false;
      for (let i = 0; i <= covers; i++) {
        try {
          execFileSync('umount', [target], { stdio: 'pipe' });
        } catch {
          execFileSync('umount', ['-l', target], { stdio: 'pipe' });
        }
      }
    },
  };
}
