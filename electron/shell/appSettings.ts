// The few things the shell remembers between launches besides window bounds: the data folder the
// user picked. Async reads and writes only.
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../engine/fs/writeFileAtomic.ts';

export interface AppSettings {
  dataDir: string | null;
}

export async function loadAppSettings(file: string): Promise<AppSettings> {
  try {
    const v = JSON.parse(await readFile(file, 'utf8')) as Partial<AppSettings>;
    return { dataDir: typeof v.dataDir === 'string' && v.dataDir !== '' ? v.dataDir : null };
  } catch {
    return { dataDir: null };
  }
}

export async function saveAppSettings(file: string, settings: AppSettings): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(settings));
}
