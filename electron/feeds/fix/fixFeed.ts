// The FIX 4.4 market-data initiator feed (an LP's quote gateway): one TCP connection, logged on
// with the persisted sequence numbers, a MarketDataRequest per symbol for top of book, and a tick
// per change of a symbol's best bid/offer. Reconnects with the core's backoff forever; status,
// malformed counts and the gap ledger go through the core's feed tracker.
//
// The password comes from the secret store (deps.secrets) and is only ever written into the Logon
// on the socket: every text this feed shows (status, ledger, last messages, log lines) is passed
// through redact(), which masks Password(554) fields and the password's value.
import { connect as netConnect } from 'node:net';
import type { Socket } from 'node:net';
import type { FeedConfigOf } from '../../../shared/feeds/feedConfig.ts';
import { defaultSource } from '../../../shared/feeds/feedConfig.ts';
import type { FeedStatus } from '../../../shared/feeds/feedStatus.ts';
import type { Feed, FeedSink } from '../feed.ts';
import type { FeedClock, FeedTimer } from '../core/feedClock.ts';
import { systemFeedClock } from '../core/feedClock.ts';
import type { FeedTracker } from '../core/feedTracker.ts';
import { createFeedTracker } from '../core/feedTracker.ts';
import { createLateSink } from '../core/lateSink.ts';
import type { ReconnectBackoffOptions } from '../core/reconnectBackoff.ts';
import { createReconnectBackoff } from '../core/reconnectBackoff.ts';
import type { StalenessOptions } from '../core/stalenessWatchdog.ts';
import type { FixCodec } from './fixCodec.ts';
import { FixDecodeError, createFixCodec } from './fixCodec.ts';
import type { FixFrame } from './fixFramer.ts';
import { FixFramer, fixToText } from './fixFramer.ts';
import type { FixInbound } from './fixMessages.ts';
import { MsgType, marketDataRequest } from './fixMessages.ts';
import type { FixSeqStore } from './fixSeqStore.ts';
import { createFileSeqStore, createMemorySeqStore } from './fixSeqStore.ts';
import type { FixRejection, FixSessionIo, FixSessionOptions } from './fixSession.ts';
import { FixSession } from './fixSession.ts';
import { FixTopOfBook } from './fixTopOfBook.ts';

export interface FixFeedDeps {
  clock?: FeedClock;
  /** The secret store's values for this feed; `password` is used when config.usePassword. */
  secrets?: { password?: string };
  /** Where the session's sequence numbers persist (the app's store)… */
  seqStore?: FixSeqStore;
  /** …or a directory for one small file per SenderCompID-TargetCompID (createFileSeqStore). */
  seqDir?: string;
  backoff?: ReconnectBackoffOptions;
  watchdog?: StalenessOptions;
  /** Session timings (tests shorten them). */
  session?: Pick<FixSessionOptions, 'logonTimeoutMs' | 'logoutTimeoutMs' | 'resendTimeoutMs' | 'maxQueued'>;
  connectTimeoutMs?: number;
  /** A logged-on connection that stayed up this long proved healthy: the backoff starts over. */
  healthyAfterMs?: number;
  /** Diagnostic lines (connects, logons, rejects); already redacted. */
  log?: (line: string) => void;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_HEALTHY_AFTER_MS = 10_000;
/** After our Logout or a failure, the socket is ended and then destroyed if it lingers. */
const CLOSE_LINGER_MS = 1_000;

interface Connection {
  n: number;
  socket: Socket;
  framer: FixFramer;
  established: boolean;
  closeReason: string | null;
  closed: Promise<void>;
  timer: FeedTimer | null;
  lingerTimer: FeedTimer | null;
}

export function createFixFeed(config: FeedConfigOf<'fix'>, deps: FixFeedDeps = {}): Feed {
  const clock = deps.clock ?? systemFeedClock;
  const source = defaultSource(config);
  const endpoint = `${config.host}:${config.port}`;
  const password = config.usePassword ? deps.secrets?.password : undefined;
  const symbols = [...config.symbols];
  const backoff = createReconnectBackoff(deps.backoff);
  const book = new FixTopOfBook();

  const sinkProxy = createLateSink();
  const tracker: FeedTracker = createFeedTracker({
    id: config.id,
    kind: 'fix',
    source,
    endpoint,
    symbols,
    clock,
    sink: sinkProxy,
    watchdog: deps.watchdog,
  });

  let codec: FixCodec | null = null;
  let session: FixSession | null = null;
  let conn: Connection | null = null;
  let connCount = 0;
  let started = false;
  let stopping = false;
  let stopPromise: Promise<void> | null = null;
  let reconnectTimer: FeedTimer | null = null;
  let healthyTimer: FeedTimer | null = null;
  let paused = false;
  /** MDReqID → symbol, and our V's MsgSeqNum → symbol, for the current connection's requests. */
  const requests = new Map<string, string>();
  const requestSeqs = new Map<number, string>();

  const redact = (text: string): string => {
    let out = text.replace(/(^|\|)554=[^|]*/g, '$1554=***');
    if (password) out = out.split(password).join('***');
    return out;
  };
  const log = (line: string) => {
    try {
      deps.log?.(redact(line));
    } catch {
      // A logger that throws must not break the socket handler.
    }
  };
  const setError = (text: string | null) => tracker.setError(text === null ? null : redact(text));

  const symbolFor = (r: FixRejection): string | null =>
    (r.refId !== null ? requests.get(r.refId) : undefined) ??
    (r.refSeqNum !== null ? requestSeqs.get(r.refSeqNum) : undefined) ??
    null;

  function ioFor(c: Connection, s: FixSession): FixSessionIo {
    return {
      send(msgType, seqNum, body, opts) {
        if (conn !== c || !codec) return;
        let bytes: Buffer;
        try {
          bytes = codec.encode(
            {
              msgType,
              seqNum,
              senderCompId: config.senderCompId,
              targetCompId: config.targetCompId,
              sendingTimeUs: clock.nowUs(),
              possDup: opts?.possDup,
              origSendingTimeUs: opts?.origSendingTimeUs,
            },
            body,
          );
        } catch (e) {
          setError(`cannot encode a ${msgType} message: ${(e as Error).message}`);
          return;
        }
        c.socket.write(bytes);
      },
      close(reason) {
        closeConnection(c, reason);
      },
      loggedOn() {
        log(`logged on to ${endpoint} as ${config.senderCompId} -> ${config.targetCompId}`);
        tracker.connected(undefined, `logged on (MsgSeqNum out ${s.seqNums.nextSenderSeqNum - 1})`);
        tracker.setState('live');
        tracker.setConnections(1, 1);
        clock.clearTimeout(healthyTimer);
        healthyTimer = clock.setTimeout(() => {
          healthyTimer = null;
          if (conn === c) backoff.reset();
        }, deps.healthyAfterMs ?? DEFAULT_HEALTHY_AFTER_MS);
        const stamp = Math.floor(clock.nowUs() / 1e6).toString(36);
        symbols.forEach((symbol, i) => {
          const id = `${stamp}-${c.n}-${i}`;
          requests.set(id, symbol);
          const seq = s.sendApplication(MsgType.MarketDataRequest, marketDataRequest(id, symbol));
          requestSeqs.set(seq, symbol);
        });
      },
      application(m) {
        if (m.msgType !== MsgType.MarketDataSnapshot && m.msgType !== MsgType.MarketDataIncremental) return;
        if (m.declaredEntries !== null && m.entries && m.declaredEntries !== m.entries.length) {
          // jspurefix ends a group at a tag its dictionary does not place there (an LP's custom
          // tag): the entries after it are lost, so say so rather than drop them silently.
          tracker.malformed(
            'md_entries_mismatch',
            `seq ${m.seqNum}: NoMDEntries=${m.declaredEntries} but ${m.entries.length} entries could be read`,
          );
        }
        book.apply(m, {
          source,
          recvUs: m.recvUs ?? clock.nowUs(),
          symbolForRequest: (id) => (id === null ? null : (requests.get(id) ?? null)),
          tick: (t) => tracker.tick(t),
          problem: (reason, detail) => tracker.malformed(reason, redact(detail)),
        });
      },
      rejected(r) {
        const symbol = symbolFor(r);
        const reason = redact(symbol ? `${r.reason} (symbol ${symbol})` : r.reason);
        tracker.record({
          kind: 'rejected',
          symbol,
          code: r.code,
          reason,
          fromSeq: null,
          toSeq: null,
          sinceUs: null,
        });
        tracker.setError(reason);
        log(reason);
      },
      gap(fromSeq, toSeq) {
        const n = toSeq - fromSeq + 1;
        tracker.record({
          kind: 'sequence_gap',
          symbol: null,
          code: null,
          reason: `MsgSeqNum ${fromSeq === toSeq ? fromSeq : `${fromSeq}-${toSeq}`} missing (${n}); ResendRequest sent`,
          fromSeq,
          toSeq,
          sinceUs: null,
        });
      },
      gapFilled(fromSeq, toSeq, sinceUs, how) {
        tracker.record({
          kind: 'gap_filled',
          symbol: null,
          code: null,
          reason: how,
          fromSeq,
          toSeq,
          sinceUs,
        });
      },
      error(text) {
        setError(text);
        if (text) log(text);
      },
    };
  }

  function closeConnection(c: Connection, reason: string): void {
    c.closeReason ??= reason;
    if (c.socket.destroyed) return;
    c.socket.end();
    c.lingerTimer ??= clock.setTimeout(() => c.socket.destroy(), CLOSE_LINGER_MS);
  }

  function handleFrame(c: Connection, s: FixSession, f: FixFrame, recvUs: number): void {
    const text = redact(fixToText(f.bytes));
    if (f.kind === 'malformed') {
      tracker.malformed(f.reason, text);
      return;
    }
    tracker.message(text, recvUs);
    let m: FixInbound;
    try {
      m = (codec as FixCodec).decode(f.bytes);
    } catch (e) {
      tracker.malformed(e instanceof FixDecodeError ? e.reason : 'decode_failed', text);
      return;
    }
    m.recvUs = recvUs;
    s.receive(m);
  }

  function pump(c: Connection): void {
    const s = session;
    if (!s) return;
    while (!paused && conn === c) {
      const f = c.framer.next();
      if (!f) return;
      try {
        handleFrame(c, s, f, clock.nowUs());
      } catch (e) {
        // A bug or a throwing sink must not kill the socket handler; the message is counted.
        tracker.malformed('handler_error', `${(e as Error).message}`);
      }
      const w = sinkProxy.wait();
      if (w) {
        paused = true;
        c.socket.pause();
        tracker.setPaused(true);
        s.setReadsPaused(true);
        const resume = () => {
          paused = false;
          tracker.setPaused(false);
          s.setReadsPaused(false);
          if (conn !== c) return;
          c.socket.resume();
          pump(c);
        };
        w.then(resume, resume);
        return;
      }
    }
  }

  function connect(): void {
    reconnectTimer = null;
    const s = session;
    if (stopping || !s) return;
    tracker.setState('connecting');
    const socket = netConnect({ host: config.host, port: config.port, noDelay: true });
    let closedResolve: () => void = () => {};
    const c: Connection = {
      n: ++connCount,
      socket,
      framer: new FixFramer(),
      established: false,
      closeReason: null,
      closed: new Promise<void>((r) => (closedResolve = r)),
      timer: null,
      lingerTimer: null,
    };
    conn = c;
    paused = false;
    c.timer = clock.setTimeout(() => {
      c.timer = null;
      if (!c.established) {
        c.closeReason ??= `no TCP connection within ${(deps.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS) / 1000} s`;
        socket.destroy();
      }
    }, deps.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
    socket.on('connect', () => {
      clock.clearTimeout(c.timer);
      c.timer = null;
      c.established = true;
      tracker.setState('subscribing');
      log(`connected to ${endpoint}, logging on`);
      s.connected(ioFor(c, s));
    });
    socket.on('data', (chunk: Buffer) => {
      if (conn !== c) return;
      c.framer.push(chunk);
      pump(c);
    });
    socket.on('error', (e) => {
      c.closeReason ??= `${c.established ? 'socket error' : 'cannot connect'}: ${e.message}`;
    });
    socket.on('close', () => {
      clock.clearTimeout(c.timer);
      clock.clearTimeout(c.lingerTimer);
      closedResolve();
      onClosed(c, s);
    });
  }

  function onClosed(c: Connection, s: FixSession): void {
    if (conn !== c) return;
    conn = null;
    const tail = c.framer.end();
    if (tail) tracker.malformed(tail.reason, redact(fixToText(tail.bytes)));
    s.transportClosed();
    book.clear();
    requests.clear();
    requestSeqs.clear();
    clock.clearTimeout(healthyTimer);
    healthyTimer = null;
    tracker.setConnections(1, 0);
    const reason = redact(c.closeReason ?? 'the peer closed the connection');
    if (c.established) {
      tracker.disconnected(null, reason);
      log(`disconnected: ${reason}`);
    }
    if (stopping) return;
    const delay = backoff.nextDelayMs();
    tracker.reconnectScheduled(delay, backoff.attempts, reason);
    reconnectTimer = clock.setTimeout(connect, delay);
  }

  let seqStore: FixSeqStore | null = null;

  async function run(): Promise<void> {
    if (config.usePassword && !password) {
      setError('usePassword is set but the secret store holds no password for this feed');
      tracker.stop();
      return;
    }
    try {
      codec = await createFixCodec();
    } catch (e) {
      setError(`cannot load the FIX engine (jspurefix): ${(e as Error).message}`);
      tracker.stop();
      return;
    }
    try {
      seqStore = deps.seqStore ?? (deps.seqDir ? createFileSeqStore(deps.seqDir) : createMemorySeqStore());
      session = new FixSession({
        senderCompId: config.senderCompId,
        targetCompId: config.targetCompId,
        heartbeatSec: config.heartbeatSec,
        resetOnLogon: config.resetOnLogon,
        username: config.username,
        password,
        clock,
        seqStore,
        ...deps.session,
      });
    } catch (e) {
      // A corrupt sequence file: logging on with made-up numbers would be worse than not at all.
      setError((e as Error).message);
      tracker.stop();
      return;
    }
    if (!stopping) connect();
  }

  let running: Promise<void> = Promise.resolve();

  return {
    id: config.id,
    kind: 'fix',
    source,
    symbols,

    start(s: FeedSink) {
      if (started) return;
      started = true;
      sinkProxy.attach(s);
      tracker.setState('connecting');
      running = run().catch((e: Error) => {
        setError(`the FIX feed failed to start: ${e.message}`);
      });
    },

    stop() {
      stopPromise ??= (async () => {
        stopping = true;
        clock.clearTimeout(reconnectTimer);
        reconnectTimer = null;
        await running;
        const c = conn;
        if (c && session) {
          await session.logout();
          // The Logout was answered (or not within the bound): nothing left to flush.
          c.closeReason ??= 'stopped';
          c.socket.destroy();
          await c.closed;
        }
        clock.clearTimeout(healthyTimer);
        session?.flushSave();
        // The exact numbers, so the next start resumes with no gap.
        await seqStore?.close?.().catch((e: Error) => setError(e.message));
        tracker.stop();
      })();
      return stopPromise;
    },

    status(): FeedStatus {
      const st = tracker.status();
      // The tracker starts out 'connecting'; a feed not started yet is not trying to.
      return started ? st : { ...st, state: 'stopped' };
    },

    lastMessages() {
      return tracker.lastMessages();
    },

    checkConnection() {
      if (stopping || !started) return;
      if (session?.state === 'active') {
        session.probe();
      } else if (reconnectTimer) {
        clock.clearTimeout(reconnectTimer);
        connect();
      }
    },
  };
}
