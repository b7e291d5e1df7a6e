// Checks the folder a migration is asked to read, before anything else touches it: only async fs
// calls (a hung network mount must not freeze the app's main thread), raced against a timeout,
// and a typed error that names the path and the reason.
import { opendir, stat } from 'node:fs/promises';
import path from 'node:path';

export type InputFolderProblem = 'not_found' | 'not_a_folder' | 'unreadable' | 'timeout';

/** How long the input folder may take to answer before the run is refused. */
export const INPUT_FOLDER_TIMEOUT_MS = 2_000;

export class InputFolderError extends Error {
  readonly path: string;
  readonly problem: InputFolderProblem;
  /** The errno code behind it (ENOENT, EACCES...), when there is one. */
  readonly code: string | null;

  constructor(folder: string, problem: InputFolderProblem, message: string, code: string | null = null) {
    super(message);
    this.name = 'InputFolderError';
    this.path = folder;
    this.problem = problem;
    this.code = code;
  }
}

/** An errno code in words, for messages a person reads. */
export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return 'it does not exist (ENOENT)';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder (ENOTDIR)';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${e.code})`;
    case 'ELOOP':
      return 'too many levels of symbolic links (ELOOP)';
    case 'EIO':
      return 'input/output error (EIO)';
    case 'ENAMETOOLONG':
      return 'the name is too long (ENAMETOOLONG)';
    case undefined:
      return String(e?.message ?? err);
    default:
      return `${e.code}${e.message ? `: ${e.message}` : ''}`;
  }
}

function problemOf(code: string | undefined): InputFolderProblem {
  if (code === 'ENOENT') return 'not_found';
  if (code === 'ENOTDIR') return 'not_a_folder';
  return 'unreadable';
}

async function probe(root: string): Promise<void> {
  let st;
  try {
    st = await stat(root);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputFolderError(
      root,
      problemOf(code),
      `input folder ${root} cannot be read: ${describeFsError(err)}`,
      code ?? null,
    );
  }
  if (!st.isDirectory()) {
    const kind = st.isFile() ? 'a file' : st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : 'a device';
    throw new InputFolderError(root, 'not_a_folder', `input ${root} is not a folder (it is ${kind})`);
  }
  try {
    const dir = await opendir(root);
    await dir.close();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputFolderError(
      root,
      'unreadable',
      `input folder ${root} cannot be read: ${describeFsError(err)}`,
      code ?? null,
    );
  }
}

/** Resolves to the absolute folder, or rejects with an InputFolderError within timeoutMs. */
export async function checkInputFolder(
  inputDir: string,
  timeoutMs: number = INPUT_FOLDER_TIMEOUT_MS,
): Promise<string> {
  const root = path.resolve(inputDir);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new InputFolderError(
          root,
          'timeout',
          `input folder ${root} cannot be read: no answer within ${timeoutMs / 1000} s (a hung network drive?)`,
        ),
      );
    }, timeoutMs);
    // The probe may stay stuck in the fs thread pool; the timer must not be what keeps a
    // process alive once the caller has given up.
    timer.unref();
  });
  try {
    await Promise.race([probe(root), timeout]);
  } finally {
    clearTimeout(timer);
  }
  return root;
}
