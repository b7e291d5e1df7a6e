// Posts health changes to a configured URL (a chat hook, an alert manager's generic receiver) as
// JSON {status, warnings, at}. It watches the health the service pushes every second, waits for a
// change to settle (debounce) and posts the latest state, retrying with backoff. Nothing here
// waits on the network in the caller's path: a slow or dead receiver only delays its own posts.
import type { Health } from '../../shared/stats.ts';
import type { Clock } from '../engine/clock.ts';
import { systemClock } from '../engine/clock.ts';
import type { TickscopeService } from './tickscopeService.ts';

export interface HealthWebhookPayload {
  status: Health['status'];
  /** Health's reasons, as the Health screen lists them. */
  warnings: string[];
  /** When this state was first seen, ISO 8601 UTC. */
  at: string;
}

export interface WebhookTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface HealthWebhookOptions {
  url: string;
  log: (message: string) => void;
  /** A change must hold this long before it is posted (a flapping state posts once). */
  debounceMs?: number;
  /** The first retry waits this long, each further one twice as long, up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Attempts per state before it is given up (a newer state is posted anew). */
  maxAttempts?: number;
  /** One post may take this long before it counts as failed. */
  timeoutMs?: number;
  clock?: Clock;
  timers?: WebhookTimers;
  fetch?: typeof fetch;
}

export const WEBHOOK_DEFAULTS = {
  debounceMs: 2000,
  backoffMs: 1000,
  maxBackoffMs: 60_000,
  maxAttempts: 8,
  timeoutMs: 5000,
};

export interface HealthWebhook {
  /** Hands in the current health; returns at once. */
  observe(health: Health): void;
  /** Posts sent and acknowledged (2xx), and attempts that failed. */
  counts(): { delivered: number; failed: number };
  /** Cancels what is pending; a post in flight is aborted. */
  close(): void;
}

const systemTimers: WebhookTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Only http(s) URLs; the reason in words otherwise. */
export function webhookUrlProblem(raw: string): string | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return `${JSON.stringify(raw)} is not a URL`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    return `the URL must be http:// or https://, got ${u.protocol}`;
  return null;
}

/**
 * Health whose warnings differ only in their numbers ("not live for 12 s" and "for 13 s", a
 * queue 81% or 82% full) is the same state: otherwise every second would be a change.
 */
export function healthSignature(h: Health): string {
  return JSON.stringify([h.status, h.reasons.map((r) => r.replace(/\d+(?:\.\d+)?/g, '#'))]);
}

export function createHealthWebhook(o: HealthWebhookOptions): HealthWebhook {
  const cfg = { ...WEBHOOK_DEFAULTS, ...definedOnly(o) };
  const clock = o.clock ?? systemClock;
  const timers = o.timers ?? systemTimers;
  const post = o.fetch ?? fetch;
  // Log lines name the receiver by origin only: a hook URL's path often carries its secret.
  const where = new URL(o.url).origin;

  /** The state last delivered (or, before any, the one being delivered); null before the first. */
  let posted: string | null = null;
  let seen: { signature: string; health: Health; atUs: number } | null = null;
  let timer: unknown = null;
  let inFlight: AbortController | null = null;
  let closed = false;
  let delivered = 0;
  let failed = 0;

  const schedule = (ms: number, fn: () => void) => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = timers.setTimeout(() => {
      timer = null;
      fn();
    }, ms);
  };

  async function attempt(signature: string, payload: HealthWebhookPayload, n: number): Promise<void> {
    const abort = new AbortController();
    inFlight = abort;
    const cutOff = timers.setTimeout(() => abort.abort(), cfg.timeoutMs);
    let problem: string | null = null;
    try {
      const res = await post(o.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: abort.signal,
      });
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) problem = `HTTP ${res.status}`;
    } catch (err) {
      problem = abort.signal.aborted ? `no answer within ${cfg.timeoutMs} ms` : (err as Error).message;
    } finally {
      timers.clearTimeout(cutOff);
      if (inFlight === abort) inFlight = null;
    }
    if (closed) return;
    if (problem === null) {
      delivered++;
      posted = signature;
    } else {
      failed++;
      // A newer state replaces this one: it is what the receiver should hear about.
      if (seen?.signature === signature) {
        if (n < cfg.maxAttempts) {
          const wait = Math.min(cfg.maxBackoffMs, cfg.backoffMs * 2 ** (n - 1));
          o.log(`health webhook ${where}: ${problem}; retrying in ${wait} ms`);
          schedule(wait, () => void attempt(signature, payload, n + 1));
          return;
        }
        o.log(`health webhook ${where}: giving up on "${payload.status}" after ${n} attempts (${problem})`);
        posted = signature;
      }
    }
    // A state that settled while this post was out is due now (its debounce has run out).
    if (timer === null) flush();
  }

  function flush(): void {
    if (!seen || seen.signature === posted || inFlight) return;
    const { signature, health, atUs } = seen;
    void attempt(
      signature,
      {
        status: health.status,
        warnings: [...health.reasons],
        at: new Date(atUs / 1000).toISOString(),
      },
      1,
    );
  }

  return {
    observe(health) {
      if (closed) return;
      const signature = healthSignature(health);
      if (seen?.signature === signature) {
        seen.health = health;
        return;
      }
      seen = { signature, health, atUs: clock.nowUs() };
      if (signature === posted) {
        // Back to what the receiver already knows before the change was posted: nothing to say.
        if (timer !== null) timers.clearTimeout(timer);
        timer = null;
        return;
      }
      schedule(cfg.debounceMs, flush);
    },
    counts: () => ({ delivered, failed }),
    close() {
      closed = true;
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      inFlight?.abort();
    },
  };
}

/** Starts a webhook that watches the service's health events; close it before the service. */
export function watchHealth(
  service: Pick<TickscopeService, 'connect' | 'health'>,
  o: HealthWebhookOptions,
): HealthWebhook {
  const hook = createHealthWebhook(o);
  hook.observe(service.health());
  const conn = service.connect({
    send(event, payload) {
      if (event === 'storage.health') hook.observe(payload as Health);
    },
  });
  return {
    ...hook,
    close() {
      conn.close();
      hook.close();
    },
  };
}

function definedOnly(o: HealthWebhookOptions): Partial<typeof WEBHOOK_DEFAULTS> {
  const r: Partial<typeof WEBHOOK_DEFAULTS> = {};
  for (const k of Object.keys(WEBHOOK_DEFAULTS) as (keyof typeof WEBHOOK_DEFAULTS)[]) {
    if (o[k] !== undefined) r[k] = o[k];
  }
  return r;
}
