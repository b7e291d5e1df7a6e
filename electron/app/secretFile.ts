// Feed secrets (FIX passwords, API keys): kept out of feed configs, out of logs and out of every
// answer to the renderer, which only learns whether a secret is set. The values live in one file
// readable by the user alone (0600, refused when group or others can read it), optionally sealed
// by a codec: the desktop app passes Electron's safeStorage (OS keychain); the headless server
// stores them as they are in the 0600 file, and the environment may supply or override them.
import { chmod, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FeedSecretName } from '../../shared/feeds/feedConfig.ts';
import { FEED_SECRET_NAMES } from '../../shared/feeds/feedConfig.ts';
import { makeDirs } from '../engine/fs/makeDirs.ts';
import { writeFileAtomic } from '../engine/fs/writeFileAtomic.ts';

export interface SecretStore {
  get(feedId: string, name: FeedSecretName): string | null;
  has(feedId: string, name: FeedSecretName): boolean;
  /** null deletes. Rejects with SecretStoreError when the value cannot be kept safely. */
  set(feedId: string, name: FeedSecretName, value: string | null): Promise<void>;
  /** Forgets every secret of a removed feed. */
  forget(feedId: string): Promise<void>;
}

/** Seals values at rest; `available` false means nothing may be stored (no keychain). */
export interface SecretCodec {
  readonly name: string;
  available(): boolean;
  seal(plain: string): string;
  open(sealed: string): string;
}

export const PLAIN_CODEC: SecretCodec = {
  name: 'plain (file mode 0600)',
  available: () => true,
  seal: (s) => s,
  open: (s) => s,
};

export class SecretStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretStoreError';
  }
}

/** TICKSCOPE_SECRET_<FEED>_<NAME>, the feed id upper-cased with - as _ (FIX-LP1 → FIX_LP1). */
export function secretEnvName(feedId: string, name: FeedSecretName): string {
  return `TICKSCOPE_SECRET_${feedId.toUpperCase().replace(/-/g, '_')}_${name.toUpperCase()}`;
}

type SecretFile = Record<string, Partial<Record<FeedSecretName, string>>>;

export async function openSecretFile(
  file: string,
  codec: SecretCodec = PLAIN_CODEC,
  env: NodeJS.ProcessEnv = {},
): Promise<SecretStore> {
  const sealed: SecretFile = await readSecretFile(file);
  const save = async () => {
    await makeDirs(path.dirname(file));
    await writeFileAtomic(file, `${JSON.stringify(sealed, null, 2)}\n`, { mode: 0o600 });
    // A file that existed with wider permissions keeps them through rename on some systems.
    await chmod(file, 0o600);
  };
  const fromEnv = (feedId: string, name: FeedSecretName) => env[secretEnvName(feedId, name)] ?? null;
  return {
    get(feedId, name) {
      const e = fromEnv(feedId, name);
      if (e !== null) return e;
      const v = sealed[feedId]?.[name];
      if (v === undefined) return null;
      try {
        return codec.open(v);
      } catch (err) {
        throw new SecretStoreError(
          `the ${name} of feed ${feedId} in ${file} cannot be decrypted (${(err as Error).message}); set it again`,
        );
      }
    },
    has(feedId, name) {
      return fromEnv(feedId, name) !== null || sealed[feedId]?.[name] !== undefined;
    },
    async set(feedId, name, value) {
      if (value === null) {
        if (sealed[feedId]) delete sealed[feedId][name];
        if (sealed[feedId] && Object.keys(sealed[feedId]).length === 0) delete sealed[feedId];
      } else {
        if (!codec.available()) {
          throw new SecretStoreError(
            `secrets cannot be stored: ${codec.name} is not available on this system; set ${secretEnvName(feedId, name)} in the environment instead`,
          );
        }
        (sealed[feedId] ??= {})[name] = codec.seal(value);
      }
      await save();
    },
    async forget(feedId) {
      if (!sealed[feedId]) return;
      delete sealed[feedId];
      await save();
    },
  };
}

async function readSecretFile(file: string): Promise<SecretFile> {
  let text: string;
  try {
    const st = await stat(file);
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
      throw new SecretStoreError(
        `${file} can be read by other users (mode ${(st.mode & 0o777).toString(8)}); run chmod 600 on it`,
      );
    }
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new SecretStoreError(`${file} is not valid JSON (${(err as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SecretStoreError(`${file} must hold an object of feed id → { password: … }`);
  }
  const out: SecretFile = {};
  for (const [feedId, entry] of Object.entries(parsed as Record<string, unknown>)) {
    if (entry === null || typeof entry !== 'object') continue;
    for (const name of FEED_SECRET_NAMES) {
      const v = (entry as Record<string, unknown>)[name];
      if (typeof v === 'string') (out[feedId] ??= {})[name] = v;
    }
  }
  return out;
}

/** Secrets held in memory only (the record command, tests): env first, as in the file store. */
export function memorySecretStore(env: NodeJS.ProcessEnv = {}): SecretStore {
  const values = new Map<string, string>();
  const key = (feedId: string, name: string) => `${feedId}\u0000${name}`;
  return {
    get: (feedId, name) => env[secretEnvName(feedId, name)] ?? values.get(key(feedId, name)) ?? null,
    has: (feedId, name) => env[secretEnvName(feedId, name)] !== undefined || values.has(key(feedId, name)),
    async set(feedId, name, value) {
      if (value === null) values.delete(key(feedId, name));
      else values.set(key(feedId, name), value);
    },
    async forget(feedId) {
      for (const name of FEED_SECRET_NAMES) values.delete(key(feedId, name));
    },
  };
}
