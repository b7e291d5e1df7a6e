// Where a FIX session's sequence numbers survive a restart, so the next Logon resumes the session
// (no reset, no replay) the way the LP expects. The app may keep them in its own storage through
// FixSeqStore; createFileSeqStore keeps one small JSON file per SenderCompID-TargetCompID pair,
// replaced atomically (write a temp file, fsync, rename) so a crash leaves the old or the new
// numbers, never half of either.
//
// The feed runs on the Electron main thread, which must not wait on the disk, so the file is
// written behind, asynchronously, and never once per message:
// - our own (sender) numbers are reserved ahead: the file holds a number RESERVE_AHEAD beyond the
//   next one, renewed in the background when half of the reservation is used. A crash therefore
//   resumes a little above the last number sent, never below it (the LP would refuse a reused
//   number); the LP asks for the skipped ones and gets a GapFill. Only if sends outran the
//   background write would a save block (a synchronous write), which FIX's few outbound messages
//   never do;
// - the peer's (target) numbers follow a few hundred ms behind: a crash costs a ResendRequest;
// - close() writes the exact numbers, so a clean restart resumes with no gap at all.
import { mkdirSync, readFileSync } from 'node:fs';
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { writeFileAtomic } from '../../engine/fs/writeFileAtomic.ts';
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
  /** Called before a message with nums.nextSenderSeqNum - 1 goes out: that number must survive a crash. */
  save(key: FixSessionKey, nums: FixSeqNums): void;
  /** Writes the exact numbers and waits for every write (the feed stops). */
  close?(): Promise<void>;
  /** The last background write that failed, for the feed's status; null when all succeeded. */
  lastError?(): string | null;
}

/** Sender numbers reserved ahead in the file; renewed in the background at half. */
export const RESERVE_AHEAD = 100;

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
  interface Session {
    path: string;
    latest: FixSeqNums;
    /** The sender number the file (or the write in flight) guarantees is never reused. */
    reservedSender: number;
    /** Reserved by a write that has finished (durable). */
    durableSender: number;
    writing: Promise<void> | null;
    again: boolean;
  }
  const sessions = new Map<string, Session>();
  let failure: string | null = null;

  const textOf = (sender: number, target: number) =>
    `${JSON.stringify({ nextSenderSeqNum: sender, nextTargetSeqNum: target })}\n`;
  const saveError = (path: string, e: unknown) =>
    new FixSeqStoreError(`cannot save the FIX sequence numbers to ${path}: ${(e as Error).message}`, {
      cause: e,
    });

  function writeNowSync(s: Session, sender: number): void {
    if (!made) {
      mkdirSync(dir, { recursive: true });
      made = true;
    }
    const tmp = tmpName(s.path);
    try {
      const fd = openSync(tmp, 'w', 0o600);
      try {
        writeSync(fd, textOf(sender, s.latest.nextTargetSeqNum));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, s.path);
    } catch (e) {
      throw saveError(s.path, e);
    }
    s.durableSender = Math.max(s.durableSender, sender);
  }

  async function writeBehind(s: Session, exact: boolean): Promise<void> {
    if (!made) {
      await mkdir(dir, { recursive: true });
      made = true;
    }
    const sender = exact ? s.latest.nextSenderSeqNum : s.reservedSender;
    await writeFileAtomic(s.path, textOf(sender, s.latest.nextTargetSeqNum), { mode: 0o600, fsync: true });
    if (!exact) s.durableSender = Math.max(s.durableSender, sender);
  }

  /** One write at a time per session; a save during a write asks for one more after it. */
  function schedule(s: Session): void {
    if (s.writing) {
      s.again = true;
      return;
    }
    s.again = false;
    s.writing = writeBehind(s, false)
      .then(
        () => {
          failure = null;
        },
        (e: unknown) => {
          failure = saveError(s.path, e).message;
        },
      )
      .finally(() => {
        s.writing = null;
        if (s.again) schedule(s);
      });
  }

  return {
    load(key) {
      const path = join(dir, seqFileName(key));
      const nums = readNums(path);
      const start = nums ?? { nextSenderSeqNum: 1, nextTargetSeqNum: 1 };
      const s: Session = {
        path,
        latest: { ...start },
        reservedSender: start.nextSenderSeqNum + RESERVE_AHEAD,
        durableSender: nums ? nums.nextSenderSeqNum : 0,
        writing: null,
        again: false,
      };
      sessions.set(path, s);
      // Reserve before the Logon goes out, while the socket connects.
      schedule(s);
      return nums;
    },
    save(key, nums) {
      const path = join(dir, seqFileName(key));
      let s = sessions.get(path);
      if (!s) {
        s = { path, latest: { ...nums }, reservedSender: 0, durableSender: 0, writing: null, again: false };
        sessions.set(path, s);
      }
      s.latest = { ...nums };
      // The number about to go out is nextSenderSeqNum - 1; the file must already be past it.
      if (nums.nextSenderSeqNum > s.durableSender) {
        // Outran the background write (or the first save of a session): wait for the disk once.
        s.reservedSender = nums.nextSenderSeqNum + RESERVE_AHEAD;
        writeNowSync(s, s.reservedSender);
        return;
      }
      if (nums.nextSenderSeqNum + RESERVE_AHEAD / 2 > s.reservedSender)
        s.reservedSender = nums.nextSenderSeqNum + RESERVE_AHEAD;
      schedule(s);
    },
    async close() {
      for (const s of sessions.values()) {
        while (s.writing) await s.writing;
        await writeBehind(s, true).catch((e: unknown) => {
          throw saveError(s.path, e);
        });
      }
    },
    lastError: () => failure,
  };
}

let tmpCount = 0;
/** A temp name per write, so two writes in flight (a store closing, its successor starting) never share one. */
function tmpName(path: string): string {
  return `${path}.tmp-${process.pid}-${++tmpCount}`;
}

function readNums(path: string): FixSeqNums | null {
  let text: string;
  try {
    // Once, when the feed starts: a few bytes, before any quote flows.
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new FixSeqStoreError(`cannot read the FIX sequence numbers at ${path}: ${(e as Error).message}`, {
      cause: e,
    });
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
    throw new FixSeqStoreError(`the FIX sequence file ${path} does not hold two positive sequence numbers`);
  }
  return { nextSenderSeqNum: parsed.nextSenderSeqNum, nextTargetSeqNum: parsed.nextTargetSeqNum };
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
