// Where a FIX session's sequence numbers survive a restart, so the next Logon resumes the session
// (no reset, no replay) the way the LP expects. The app may keep them in its own storage through
// FixSeqStore; createFileSeqStore keeps one small JSON file per SenderCompID-TargetCompID pair,
// replaced atomically (write a temp file, fsync, rename) so a crash leaves the old or the new
// numbers, never half of either.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface FixSessionKey {
  beginString: string;
  senderCompId: string;
  targetCompId: string;
}

export interface FixSeqNums {
  /** The MsgSeqNum our next message carries. */
  nextSenderSeqNum: number;
  /** The MsgSeqNum we expect next from the peer. */
  nextTargetSeqNum: number;
}

/**
 * Synchronous on purpose: the session saves the sender number before the message that uses it
 * goes out (a Logon below what the peer saw is refused), so `save` must be durable on return.
 */
export interface FixSeqStore {
  /** The saved numbers, or null for a session never seen (it starts at 1/1). */
  load(key: FixSessionKey): FixSeqNums | null;
  save(key: FixSessionKey, nums: FixSeqNums): void;
}

export class FixSeqStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FixSeqStoreError';
  }
}

/**
 * The file name for a session: readable, and distinct for distinct comp ids ('-' joins the parts,
 * so it is escaped inside them like every other character outside A-Z a-z 0-9 . _).
 */
export function seqFileName(key: FixSessionKey): string {
  const part = (s: string) =>
    s.replace(/[^A-Za-z0-9._]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `${part(key.beginString)}-${part(key.senderCompId)}-${part(key.targetCompId)}.seqnums.json`;
}

function validNums(v: unknown): v is FixSeqNums {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    Number.isSafeInteger(o.nextSenderSeqNum) &&
    (o.nextSenderSeqNum as number) >= 1 &&
    Number.isSafeInteger(o.nextTargetSeqNum) &&
    (o.nextTargetSeqNum as number) >= 1
  );
}

export function createFileSeqStore(dir: string): FixSeqStore {
  let made = false;
  return {
    load(key) {
      const path = join(dir, seqFileName(key));
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw new FixSeqStoreError(
          `cannot read the FIX sequence numbers at ${path}: ${(e as Error).message}`,
          {
            cause: e,
          },
        );
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (e) {
        throw new FixSeqStoreError(
          `the FIX sequence file ${path} is not JSON; fix or delete it to reset the session`,
          {
            cause: e,
          },
        );
      }
      if (!validNums(parsed)) {
        throw new FixSeqStoreError(
          `the FIX sequence file ${path} does not hold two positive sequence numbers`,
        );
      }
      return { nextSenderSeqNum: parsed.nextSenderSeqNum, nextTargetSeqNum: parsed.nextTargetSeqNum };
    },
    save(key, nums) {
      if (!made) {
        mkdirSync(dir, { recursive: true });
        made = true;
      }
      const path = join(dir, seqFileName(key));
      const tmp = `${path}.tmp`;
      const text = `${JSON.stringify({ nextSenderSeqNum: nums.nextSenderSeqNum, nextTargetSeqNum: nums.nextTargetSeqNum })}\n`;
      try {
        const fd = openSync(tmp, 'w', 0o600);
        try {
          writeSync(fd, text);
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        renameSync(tmp, path);
      } catch (e) {
        throw new FixSeqStoreError(
          `cannot save the FIX sequence numbers to ${path}: ${(e as Error).message}`,
          {
            cause: e,
          },
        );
      }
    },
  };
}

/** Numbers kept for this process only: a restart logs on at 1/1 (for tests and reset-on-logon LPs). */
export function createMemorySeqStore(): FixSeqStore & { saves: number } {
  const map = new Map<string, FixSeqNums>();
  const store = {
    saves: 0,
    load(key: FixSessionKey) {
      const v = map.get(seqFileName(key));
      return v ? { ...v } : null;
    },
    save(key: FixSessionKey, nums: FixSeqNums) {
      store.saves++;
      map.set(seqFileName(key), { ...nums });
    },
  };
  return store;
}
