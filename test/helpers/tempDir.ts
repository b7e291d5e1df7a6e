// Temporary data directories for tests: each test gets its own, and all are removed when the test
// process exits (also when a test fails), so runs never see each other's files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const created = new Set<string>();
let hooked = false;

export function makeTempDir(prefix: string): string {
  if (!hooked) {
    hooked = true;
    process.on('exit', removeTempDirs);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tickscope-${prefix}-`));
  created.add(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const d of created) fs.rmSync(d, { recursive: true, force: true });
  created.clear();
}
