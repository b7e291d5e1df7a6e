// The configured feeds, as a JSON file `{ "feeds": [ … ] }`: the one `--feed-config` reads and
// the one the feed screens save to. A bad file is refused with the path and the first problem
// (which feed, which field), never half-loaded.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import type { FeedConfig } from '../../shared/feeds/feedConfig.ts';
import { FEED_LIST_SCHEMA } from '../../shared/feeds/feedConfig.ts';
import { makeDirs } from '../engine/fs/makeDirs.ts';
import { writeFileAtomic } from '../engine/fs/writeFileAtomic.ts';

export class FeedConfigError extends Error {
  readonly file: string;
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'FeedConfigError';
    this.file = file;
  }
}

/** Where the feed list is kept; the record command's list is in memory only. */
export interface FeedConfigStore {
  readonly file: string | null;
  load(): Promise<FeedConfig[]>;
  save(feeds: readonly FeedConfig[]): Promise<void>;
}

export function describeIssue(issue: z.core.$ZodIssue, feeds: unknown): string {
  const at = issue.path.map(String);
  // feeds.2.port → feed "fix-lp" (#3), field port
  if (at[0] === 'feeds' && at.length >= 2 && /^\d+$/.test(at[1])) {
    const i = Number(at[1]);
    const id = Array.isArray(feeds) ? (feeds[i] as { id?: unknown } | undefined)?.id : undefined;
    const field = at.slice(2).join('.') || '(the feed)';
    return `feed ${typeof id === 'string' ? JSON.stringify(id) : `#${i + 1}`}, ${field}: ${issue.message}`;
  }
  return `${at.join('.') || '(top level)'}: ${issue.message}`;
}

/** Parses the text of a feed list; throws FeedConfigError naming the first problem. */
export function parseFeedList(file: string, text: string): FeedConfig[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new FeedConfigError(file, `not valid JSON (${(err as Error).message})`);
  }
  const r = FEED_LIST_SCHEMA.safeParse(raw);
  if (!r.success) {
    const feeds = (raw as { feeds?: unknown } | null)?.feeds;
    throw new FeedConfigError(file, describeIssue(r.error.issues[0], feeds));
  }
  return r.data.feeds;
}

export async function readFeedListFile(file: string): Promise<FeedConfig[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new FeedConfigError(
      file,
      `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  return parseFeedList(file, text);
}

/** A file-backed list; a missing file is the `initial` list (not written until the first save). */
export function feedConfigFile(file: string, initial: () => FeedConfig[]): FeedConfigStore {
  return {
    file,
    async load() {
      try {
        return parseFeedList(file, await readFile(file, 'utf8'));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return initial();
        throw err;
      }
    },
    async save(feeds) {
      await makeDirs(path.dirname(file));
      await writeFileAtomic(file, `${JSON.stringify({ feeds }, null, 2)}\n`);
    },
  };
}

export function memoryFeedConfigs(feeds: FeedConfig[]): FeedConfigStore {
  let list = [...feeds];
  return {
    file: null,
    load: async () => [...list],
    async save(next) {
      list = [...next];
    },
  };
}
