// Small state files (settings, window state, reports) are replaced whole or not at all: written to
// a temp file beside the target, then renamed over it, so a crash never leaves half a JSON file.
// Each call has its own temp name, so two saves in flight (a debounced one and the one at close)
// cannot interleave their bytes in one temp file.
import { rename, rm, writeFile } from 'node:fs/promises';

let seq = 0;

/** `mode` applies to the temp file from its creation, so a secret is never readable by others. */
export async function writeFileAtomic(
  file: string,
  text: string,
  opts: { mode?: number } = {},
): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${++seq}`;
  try {
    await writeFile(tmp, text, opts.mode === undefined ? undefined : { mode: opts.mode });
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}
