// Appends log lines to a file without blocking main: writes are queued and chained.
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';

export interface FileLog {
  (message: string): void;
  /** Resolves when every line logged so far is on disk. */
  drain(): Promise<void>;
}

export function createFileLog(file: string): FileLog {
  let chain: Promise<void> = mkdir(path.dirname(file), { recursive: true }).then(() => undefined);
  const log = ((message: string) => {
    const line = `${new Date().toISOString()} ${message}\n`;
    chain = chain.then(() => appendFile(file, line)).catch(() => undefined);
    if (process.env.TICKSCOPE_LOG_STDERR) process.stderr.write(line);
  }) as FileLog;
  log.drain = () => chain;
  return log;
}
