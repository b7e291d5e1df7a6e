// The FIX 4.4 session layer of the market-data initiator, as a state machine with no socket: the
// feed hands it decoded messages and transport events, it answers through FixSessionIo. It owns
// both sequence numbers (persisted through FixSeqStore), Logon/Logout, Heartbeat/TestRequest both
// ways, dead-peer detection, and gap recovery: a message above the expected MsgSeqNum triggers a
// ResendRequest for exactly the missing range and is queued, so the application sees every
// message in sequence order once the resent messages (PossDupFlag=Y) or a SequenceReset-GapFill
// close the gap — the book is never rewound by late data.
//
// Why not jspurefix's AsciiSession: its timers are real-time setIntervals (no injectable clock),
// it terminates on a too-low MsgSeqNum without the Logout FIX asks for, it gives no hook for
// when a gap is filled, it retries a silent peer three extra times before giving up, it cannot
// pause reads for backpressure, and an initiator does not verify checksums. jspurefix still does
// the encoding and decoding (fixCodec.ts).
import type { FeedClock, FeedTimer } from '../core/feedClock.ts';
import type { FixBody, FixInbound } from './fixMessages.ts';
import { MsgType, Tag, field, flagField, intField } from './fixMessages.ts';
import type { FixSeqNums, FixSeqStore, FixSessionKey } from './fixSeqStore.ts';

export type FixSessionState = 'disconnected' | 'logon_sent' | 'active' | 'logout_sent';

export interface FixSessionOptions {
  senderCompId: string;
  targetCompId: string;
  heartbeatSec: number;
  resetOnLogon: boolean;
  username?: string;
  /** From the secret store; only ever written into the Logon. */
  password?: string;
  clock: FeedClock;
  seqStore: FixSeqStore;
  /** No Logon answer within this: the connection is dropped (and retried). */
  logonTimeoutMs?: number;
  /** stop(): how long to wait for the peer's Logout answer. */
  logoutTimeoutMs?: number;
  /** A gap not closed within this is given up on (the queued messages are then applied). */
  resendTimeoutMs?: number;
  /** More queued messages than this while a gap is open: give up on the gap. */
  maxQueued?: number;
  /** Inbound saves are coalesced for this long (sender numbers are saved before each send). */
  saveDelayMs?: number;
}

export interface FixSessionIo {
  /** Writes one message; the session has already assigned (and saved) its MsgSeqNum. */
  send(
    msgType: string,
    seqNum: number,
    body: FixBody,
    opts?: { possDup?: boolean; origSendingTimeUs?: number },
  ): void;
  /** Drops the transport now (no more sends). `reason` is for the ledger/status. */
  close(reason: string): void;
  /** Logon answered: subscribe now. */
  loggedOn(): void;
  /** An application message, in sequence order (W, X and anything else non-admin). */
  application(m: FixInbound): void;
  /** Reject (3), MarketDataRequestReject (Y), BusinessMessageReject (j). */
  rejected(r: FixRejection): void;
  /** Inbound MsgSeqNums from..to are missing; a ResendRequest for them was sent. */
  gap(fromSeq: number, toSeq: number): void;
  /** A gap closed: `how` says by what. */
  gapFilled(fromSeq: number, toSeq: number, sinceUs: number, how: string): void;
  /** Something a person should see in the status (cleared with null). */
  error(text: string | null): void;
}

export interface FixRejection {
  msgType: '3' | 'Y' | 'j';
  /** SessionRejectReason (373), MDReqRejReason (281) when numeric, BusinessRejectReason (380). */
  code: number | null;
  /** Our message it refers to (RefSeqNum), when given. */
  refSeqNum: number | null;
  /** MDReqID (Y) or BusinessRejectRefID (j), when given. */
  refId: string | null;
  /** Words: the peer's Text, the reason's name, and what was refused. */
  reason: string;
}

/** The peer's Text, then the reason code's name unless the Text already says it. */
function describe(text: string | null, name: string | null): string {
  if (text && name && text.toLowerCase().includes(name.toLowerCase())) return text;
  return [text, name].filter(Boolean).join(' — ') || 'no reason given';
}

const SESSION_REJECT_REASONS: Record<string, string> = {
  '0': 'invalid tag number',
  '1': 'required tag missing',
  '2': 'tag not defined for this message type',
  '3': 'undefined tag',
  '4': 'tag specified without a value',
  '5': 'value is incorrect (out of range) for this tag',
  '6': 'incorrect data format for value',
  '7': 'decryption problem',
  '8': 'signature problem',
  '9': 'CompID problem',
  '10': 'SendingTime accuracy problem',
  '11': 'invalid MsgType',
  '12': 'XML validation error',
  '13': 'tag appears more than once',
  '14': 'tag specified out of required order',
  '15': 'repeating group fields out of order',
  '16': 'incorrect NumInGroup count for repeating group',
  '17': 'non-"data" value includes field delimiter',
  '99': 'other',
};
const MD_REJECT_REASONS: Record<string, string> = {
  '0': 'unknown symbol',
  '1': 'duplicate MDReqID',
  '2': 'insufficient bandwidth',
  '3': 'insufficient permissions',
  '4': 'unsupported SubscriptionRequestType',
  '5': 'unsupported MarketDepth',
  '6': 'unsupported MDUpdateType',
  '7': 'unsupported AggregatedBook',
  '8': 'unsupported MDEntryType',
  '9': 'unsupported TradingSessionID',
  A: 'unsupported Scope',
  B: 'unsupported OpenCloseSettlFlag',
  C: 'unsupported MDImplicitDelete',
};
const BUSINESS_REJECT_REASONS: Record<string, string> = {
  '0': 'other',
  '1': 'unknown ID',
  '2': 'unknown security',
  '3': 'unsupported message type',
  '4': 'application not available',
  '5': 'conditionally required field missing',
  '6': 'not authorized',
  '7': 'DeliverTo firm not available at this time',
};

interface Gap {
  from: number;
  to: number;
  sinceUs: number;
  resent: number;
  /** A SequenceReset-GapFill covered part of it. */
  gapFilled: boolean;
}

interface Queued {
  m: FixInbound;
  /** Already acted on when it arrived (Logon, Logout, TestRequest, ResendRequest). */
  handled: boolean;
}

export class FixSession {
  private readonly o: Required<Omit<FixSessionOptions, 'username' | 'password'>> &
    Pick<FixSessionOptions, 'username' | 'password'>;
  private readonly key: FixSessionKey;
  private io: FixSessionIo | null = null;
  private stateValue: FixSessionState = 'disconnected';
  private nums: FixSeqNums;
  private savedTarget: number;

  private lastRecvUs = 0;
  private lastSentUs = 0;
  private testReqId: string | null = null;
  private testReqCount = 0;
  private heartbeatTimer: FeedTimer | null = null;
  private inboundTimer: FeedTimer | null = null;
  private logonTimer: FeedTimer | null = null;
  private logoutTimer: FeedTimer | null = null;
  private resendTimer: FeedTimer | null = null;
  private saveTimer: FeedTimer | null = null;
  private logoutDone: (() => void) | null = null;
  private readsPaused = false;

  private readonly gaps: Gap[] = [];
  private readonly queue = new Map<number, Queued>();
  private highestQueued = 0;
  /** Duplicates (PossDupFlag=Y below the expected number) dropped, for the status. */
  duplicates = 0;

  constructor(opts: FixSessionOptions) {
    const hbMs = opts.heartbeatSec * 1000;
    this.o = {
      logonTimeoutMs: Math.max(10_000, hbMs),
      logoutTimeoutMs: 2_000,
      resendTimeoutMs: Math.max(30_000, 2 * hbMs),
      maxQueued: 100_000,
      saveDelayMs: 200,
      ...opts,
    };
    this.key = { beginString: 'FIX.4.4', senderCompId: opts.senderCompId, targetCompId: opts.targetCompId };
    this.nums = opts.seqStore.load(this.key) ?? { nextSenderSeqNum: 1, nextTargetSeqNum: 1 };
    this.savedTarget = this.nums.nextTargetSeqNum;
  }

  get state(): FixSessionState {
    return this.stateValue;
  }

  get seqNums(): Readonly<FixSeqNums> {
    return this.nums;
  }

  /** Gaps not yet closed. */
  get openGaps(): readonly { from: number; to: number }[] {
    return this.gaps;
  }

  /** How long the peer may be silent before we ask (TestRequest), and again before we give up. */
  get silenceLimitMs(): number {
    const hbMs = this.o.heartbeatSec * 1000;
    // FIX's "reasonable transmission time": a fifth of the interval, at least a second.
    return hbMs + Math.max(1_000, hbMs / 5);
  }

  /** The transport is up: log on. */
  connected(io: FixSessionIo): void {
    this.io = io;
    this.resetTransient();
    const now = this.o.clock.nowUs();
    this.lastRecvUs = now;
    this.lastSentUs = now;
    if (this.o.resetOnLogon) {
      this.nums = { nextSenderSeqNum: 1, nextTargetSeqNum: 1 };
      this.saveNow();
    }
    const logon: FixBody = { EncryptMethod: 0, HeartBtInt: this.o.heartbeatSec };
    if (this.o.resetOnLogon) logon.ResetSeqNumFlag = true;
    if (this.o.username) logon.Username = this.o.username;
    if (this.o.password) logon.Password = this.o.password;
    this.stateValue = 'logon_sent';
    this.sendAdmin(MsgType.Logon, logon);
    this.logonTimer = this.o.clock.setTimeout(() => {
      this.logonTimer = null;
      if (this.stateValue === 'logon_sent')
        this.fail(`no Logon answer within ${this.o.logonTimeoutMs / 1000} s`);
    }, this.o.logonTimeoutMs);
  }

  /** The transport closed (either side). The session keeps its numbers for the next connect. */
  transportClosed(): void {
    this.stopTimers();
    this.stateValue = 'disconnected';
    this.io = null;
    // Queued messages above a gap are not applied: after the reconnect the peer resends them.
    this.queue.clear();
    this.gaps.length = 0;
    this.highestQueued = 0;
    this.flushSave();
    this.logoutDone?.();
    this.logoutDone = null;
  }

  /** Reads are paused (backpressure): the peer's silence is ours, not a dead connection. */
  setReadsPaused(paused: boolean): void {
    this.readsPaused = paused;
    if (!paused) this.lastRecvUs = this.o.clock.nowUs();
  }

  /** Sends a market data request (or any application message) with the next MsgSeqNum. */
  sendApplication(msgType: string, body: FixBody): number {
    return this.sendAdmin(msgType, body);
  }

  /** Resume / network change: ask the peer for a sign of life now. */
  probe(): void {
    if (this.stateValue !== 'active' || this.testReqId) return;
    this.sendTestRequest();
  }

  /** Logs out and resolves when the peer answered (or after logoutTimeoutMs); then closes. */
  logout(text?: string): Promise<void> {
    const io = this.io;
    if (!io) return Promise.resolve();
    if (this.stateValue !== 'active') {
      io.close(text ?? 'stopped');
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      this.logoutDone = resolve;
      this.stateValue = 'logout_sent';
      this.sendAdmin(MsgType.Logout, text ? { Text: text } : {});
      this.logoutTimer = this.o.clock.setTimeout(() => {
        this.logoutTimer = null;
        this.io?.close(`${text ?? 'logout'}: no Logout answer within ${this.o.logoutTimeoutMs / 1000} s`);
        this.transportClosed();
      }, this.o.logoutTimeoutMs);
    });
  }

  /** One decoded inbound message. */
  receive(m: FixInbound): void {
    const io = this.io;
    if (!io || this.stateValue === 'disconnected') return;
    this.lastRecvUs = this.o.clock.nowUs();
    this.testReqId = null;

    if (this.stateValue === 'logon_sent' && m.msgType !== MsgType.Logon) {
      if (m.msgType === MsgType.Logout) {
        const text = field(m, Tag.Text);
        this.fail(`the peer refused the Logon${text ? `: ${text}` : ''}`);
      } else {
        this.fail(`the first message was ${m.msgType}, not a Logon answer`);
      }
      return;
    }
    if (m.senderCompId !== this.o.targetCompId || m.targetCompId !== this.o.senderCompId) {
      this.sendReject(m, '9', `CompID problem: expected ${this.o.targetCompId} -> ${this.o.senderCompId}`);
      this.logoutAndClose(
        `CompID problem: the peer sent ${m.senderCompId} -> ${m.targetCompId}, expected ${this.o.targetCompId} -> ${this.o.senderCompId}`,
      );
      return;
    }
    // SequenceReset-Reset ignores MsgSeqNum: it sets the next one.
    if (m.msgType === MsgType.SequenceReset && !flagField(m, Tag.GapFillFlag)) {
      this.onSequenceReset(m);
      return;
    }
    if (m.msgType === MsgType.Logon && flagField(m, Tag.ResetSeqNumFlag)) {
      // The peer reset its numbers (answering ours or on its own): its Logon is the new start.
      this.nums.nextTargetSeqNum = m.seqNum;
      this.markDirty();
    }

    const expected = this.nums.nextTargetSeqNum;
    if (m.seqNum > expected) {
      this.onTooHigh(m);
      return;
    }
    if (m.seqNum < expected) {
      if (m.possDup) {
        this.duplicates++;
        return;
      }
      const text = `MsgSeqNum too low, expecting ${expected} but received ${m.seqNum}`;
      // The peer's numbers went backwards (it reset its store): nothing we hold can match it.
      this.logoutAndClose(
        `${text} (the peer reset its sequence numbers; reset the session to continue)`,
        text,
      );
      return;
    }
    this.inOrder(m, false);
    this.drain();
  }

  // ----- in-order processing -----

  private inOrder(m: FixInbound, handled: boolean): void {
    if (m.msgType === MsgType.SequenceReset) {
      // GapFill (the Reset form never gets here).
      const newSeq = intField(m, Tag.NewSeqNo);
      if (newSeq === null || newSeq <= m.seqNum) {
        this.sendReject(m, '5', `GapFill NewSeqNo ${newSeq ?? '(none)'} does not move past ${m.seqNum}`);
        this.advanceTo(m.seqNum + 1);
        return;
      }
      for (const g of this.gaps) if (g.to >= m.seqNum && g.from < newSeq) g.gapFilled = true;
      this.advanceTo(newSeq);
      return;
    }
    if (m.possDup) this.countResent(m.seqNum);
    this.advanceTo(m.seqNum + 1);
    if (handled) return;
    switch (m.msgType) {
      case MsgType.Logon:
        this.onLogon(m);
        break;
      case MsgType.Heartbeat:
        break;
      case MsgType.TestRequest:
        this.sendAdmin(MsgType.Heartbeat, { TestReqID: field(m, Tag.TestReqID) ?? '' });
        break;
      case MsgType.ResendRequest:
        this.onResendRequest(m);
        break;
      case MsgType.Reject:
        this.onReject(m);
        break;
      case MsgType.Logout:
        this.onLogout(m);
        break;
      case MsgType.MarketDataRequestReject:
        this.onMdReject(m);
        break;
      case MsgType.BusinessMessageReject:
        this.onBusinessReject(m);
        break;
      default:
        this.io?.application(m);
    }
  }

  private advanceTo(next: number): void {
    if (next > this.nums.nextTargetSeqNum) {
      this.nums.nextTargetSeqNum = next;
      this.markDirty();
    }
  }

  /** Applies queued messages that are now in order, then closes the gaps that are behind us. */
  private drain(): void {
    while (this.queue.size > 0 && this.io) {
      let lowest = Infinity;
      for (const s of this.queue.keys()) if (s < lowest) lowest = s;
      if (lowest > this.nums.nextTargetSeqNum) break;
      const q = this.queue.get(lowest) as Queued;
      this.queue.delete(lowest);
      // Below the expected number only if a GapFill overreached a message we hold: it is still
      // data we received once, so it is applied, not dropped.
      this.inOrder(q.m, q.handled);
    }
    this.closeGaps();
  }

  private closeGaps(): void {
    const next = this.nums.nextTargetSeqNum;
    for (let i = this.gaps.length - 1; i >= 0; i--) {
      const g = this.gaps[i];
      if (g.to >= next) continue;
      this.gaps.splice(i, 1);
      const how = [
        g.resent > 0 ? `${g.resent} resent message${g.resent === 1 ? '' : 's'} (PossDupFlag=Y)` : '',
        g.gapFilled ? 'SequenceReset-GapFill' : '',
      ]
        .filter(Boolean)
        .join(' and ');
      this.io?.gapFilled(g.from, g.to, g.sinceUs, `filled by ${how || 'the peer'}`);
    }
    if (this.gaps.length === 0 && this.queue.size === 0) {
      this.o.clock.clearTimeout(this.resendTimer);
      this.resendTimer = null;
    }
  }

  private countResent(seq: number): void {
    for (const g of this.gaps) if (seq >= g.from && seq <= g.to) g.resent++;
  }

  // ----- gaps -----

  private onTooHigh(m: FixInbound): void {
    // What cannot wait for the gap to close is acted on now, and only counted when drained.
    let handled = false;
    switch (m.msgType) {
      case MsgType.Logon:
        this.onLogon(m);
        handled = true;
        break;
      case MsgType.TestRequest:
        this.sendAdmin(MsgType.Heartbeat, { TestReqID: field(m, Tag.TestReqID) ?? '' });
        handled = true;
        break;
      case MsgType.ResendRequest:
        this.onResendRequest(m);
        handled = true;
        break;
      case MsgType.Logout:
        this.onLogout(m);
        return;
    }
    if (!this.io) return;
    const known = Math.max(this.nums.nextTargetSeqNum - 1, this.highestQueued);
    if (m.seqNum > known + 1) {
      const from = known + 1;
      const to = m.seqNum - 1;
      this.gaps.push({ from, to, sinceUs: this.o.clock.nowUs(), resent: 0, gapFilled: false });
      this.sendAdmin(MsgType.ResendRequest, { BeginSeqNo: from, EndSeqNo: to });
      this.io?.gap(from, to);
    }
    if (!this.queue.has(m.seqNum)) this.queue.set(m.seqNum, { m, handled });
    if (m.seqNum > this.highestQueued) this.highestQueued = m.seqNum;
    this.resendTimer ??= this.o.clock.setTimeout(() => {
      this.resendTimer = null;
      this.abandonGaps(`the peer did not resend within ${this.o.resendTimeoutMs / 1000} s`);
    }, this.o.resendTimeoutMs);
    if (this.queue.size > this.o.maxQueued)
      this.abandonGaps(`more than ${this.o.maxQueued} messages queued behind it`);
  }

  /** Gives up on the open gaps: they stay in the ledger as gaps, the queued messages are applied. */
  private abandonGaps(why: string): void {
    if (this.gaps.length === 0 && this.queue.size === 0) return;
    const ranges = this.gaps.map((g) => `${g.from}..${g.to}`).join(', ');
    this.gaps.length = 0;
    this.io?.error(`sequence gap ${ranges} not recovered: ${why}; continuing without those messages`);
    let lowest = Infinity;
    for (const s of this.queue.keys()) if (s < lowest) lowest = s;
    if (lowest !== Infinity) this.advanceTo(lowest);
    this.drain();
  }

  private onSequenceReset(m: FixInbound): void {
    const newSeq = intField(m, Tag.NewSeqNo);
    const expected = this.nums.nextTargetSeqNum;
    if (newSeq === null || newSeq < expected) {
      // FIX: a Reset may not lower the expected number.
      this.sendReject(
        m,
        '5',
        `SequenceReset NewSeqNo ${newSeq ?? '(none)'} is below the expected ${expected}`,
      );
      return;
    }
    if (newSeq === expected) return;
    // The Reset form says these numbers will never come: a gap it closes stays a gap (not
    // filled), and numbers it skips with no gap open become one.
    const closed = this.gaps.filter((g) => g.from < newSeq);
    const skippedFrom = Math.max(expected, this.highestQueued + 1);
    if (closed.length > 0) {
      for (const g of closed) this.gaps.splice(this.gaps.indexOf(g), 1);
      const ranges = closed.map((g) => `${g.from}..${g.to}`).join(', ');
      this.io?.error(
        `sequence gap ${ranges} closed by the peer's SequenceReset-Reset: those messages were not resent`,
      );
    } else if (newSeq > skippedFrom) {
      this.io?.gap(skippedFrom, newSeq - 1);
      this.io?.error(`the peer skipped MsgSeqNum ${skippedFrom}..${newSeq - 1} with a SequenceReset-Reset`);
    }
    this.advanceTo(newSeq);
    this.drain();
  }

  // ----- admin messages -----

  private onLogon(m: FixInbound): void {
    if (this.stateValue !== 'logon_sent') return;
    this.o.clock.clearTimeout(this.logonTimer);
    this.logonTimer = null;
    this.stateValue = 'active';
    const peerHb = intField(m, Tag.HeartBtInt);
    if (peerHb !== null && peerHb !== this.o.heartbeatSec) {
      this.io?.error(`the peer answered HeartBtInt=${peerHb}, we use ${this.o.heartbeatSec}`);
    } else {
      this.io?.error(null);
    }
    this.armHeartbeat();
    this.armInbound();
    this.io?.loggedOn();
  }

  private onLogout(m: FixInbound): void {
    const text = field(m, Tag.Text);
    if (this.stateValue === 'logout_sent') {
      this.o.clock.clearTimeout(this.logoutTimer);
      this.logoutTimer = null;
      this.io?.close(`logged out${text ? `: ${text}` : ''}`);
      this.transportClosed();
      return;
    }
    // The peer leaves: answer, then hang up (it would close anyway).
    this.sendAdmin(MsgType.Logout, {});
    const reason = `the peer logged out${text ? `: ${text}` : ''}`;
    this.io?.error(reason);
    this.io?.close(reason);
    this.transportClosed();
  }

  private onResendRequest(m: FixInbound): void {
    const begin = intField(m, Tag.BeginSeqNo);
    const endRaw = intField(m, Tag.EndSeqNo);
    const next = this.nums.nextSenderSeqNum;
    if (begin === null || begin < 1 || begin >= next) return;
    // Our only application messages are subscriptions made on this connection's Logon; replaying
    // stale ones would only duplicate them, so the whole range is gap-filled (as FIX allows).
    const newSeq = endRaw === null || endRaw === 0 || endRaw >= next ? next : endRaw + 1;
    const now = this.o.clock.nowUs();
    this.lastSentUs = now;
    this.io?.send(
      MsgType.SequenceReset,
      begin,
      { GapFillFlag: true, NewSeqNo: newSeq },
      { possDup: true, origSendingTimeUs: now },
    );
  }

  private onReject(m: FixInbound): void {
    const codeText = field(m, Tag.SessionRejectReason);
    const refSeq = intField(m, Tag.RefSeqNum);
    const refType = field(m, Tag.RefMsgType);
    const refTag = field(m, Tag.RefTagID);
    const text = field(m, Tag.Text);
    const name = codeText ? (SESSION_REJECT_REASONS[codeText] ?? `reason ${codeText}`) : null;
    const what = [
      refType ? `${refType} message` : 'message',
      refSeq !== null ? `seq ${refSeq}` : '',
      refTag ? `tag ${refTag}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    this.io?.rejected({
      msgType: '3',
      code: codeText !== null && /^\d+$/.test(codeText) ? Number(codeText) : null,
      refSeqNum: refSeq,
      refId: null,
      reason: `Reject of our ${what}: ${describe(text, name)}`,
    });
  }

  private onMdReject(m: FixInbound): void {
    const codeText = field(m, Tag.MDReqRejReason);
    const text = field(m, Tag.Text);
    const id = field(m, Tag.MDReqID);
    const name = codeText ? (MD_REJECT_REASONS[codeText] ?? `reason ${codeText}`) : null;
    this.io?.rejected({
      msgType: 'Y',
      code: codeText !== null && /^\d+$/.test(codeText) ? Number(codeText) : null,
      refSeqNum: null,
      refId: id,
      reason: `MarketDataRequest ${id ?? ''} rejected: ${describe(text, name)}`,
    });
  }

  private onBusinessReject(m: FixInbound): void {
    const codeText = field(m, Tag.BusinessRejectReason);
    const text = field(m, Tag.Text);
    const refType = field(m, Tag.RefMsgType);
    const refSeq = intField(m, Tag.RefSeqNum);
    const name = codeText ? (BUSINESS_REJECT_REASONS[codeText] ?? `reason ${codeText}`) : null;
    this.io?.rejected({
      msgType: 'j',
      code: codeText !== null && /^\d+$/.test(codeText) ? Number(codeText) : null,
      refSeqNum: refSeq,
      refId: field(m, Tag.BusinessRejectRefID),
      reason: `BusinessMessageReject of our ${refType ?? ''} message${refSeq !== null ? ` seq ${refSeq}` : ''}: ${describe(text, name)}`,
    });
  }

  private sendReject(m: FixInbound, code: string, text: string): void {
    this.sendAdmin(MsgType.Reject, {
      RefSeqNum: m.seqNum,
      RefMsgType: m.msgType,
      SessionRejectReason: Number(code),
      Text: text,
    });
  }

  /** FIX's answer to a broken session: Logout with the reason, then disconnect. */
  private logoutAndClose(reason: string, logoutText = reason): void {
    this.sendAdmin(MsgType.Logout, { Text: logoutText });
    this.fail(reason);
  }

  private fail(reason: string): void {
    const io = this.io;
    io?.error(reason);
    io?.close(reason);
    this.transportClosed();
  }

  // ----- sending and timers -----

  private sendAdmin(msgType: string, body: FixBody): number {
    const io = this.io;
    if (!io) return -1;
    const seq = this.nums.nextSenderSeqNum;
    this.nums.nextSenderSeqNum = seq + 1;
    // Saved before it goes out: a number the peer has seen must never be reused after a crash.
    this.saveNow();
    this.lastSentUs = this.o.clock.nowUs();
    io.send(msgType, seq, body);
    return seq;
  }

  private sendTestRequest(): void {
    this.testReqId = `TS${++this.testReqCount}-${Math.floor(this.o.clock.nowUs() / 1000)}`;
    this.sendAdmin(MsgType.TestRequest, { TestReqID: this.testReqId });
  }

  private armHeartbeat(): void {
    const hbMs = this.o.heartbeatSec * 1000;
    const dueMs = Math.max(0, hbMs - (this.o.clock.nowUs() - this.lastSentUs) / 1000);
    this.heartbeatTimer = this.o.clock.setTimeout(() => {
      this.heartbeatTimer = null;
      if (this.stateValue !== 'active') return;
      if ((this.o.clock.nowUs() - this.lastSentUs) / 1000 >= hbMs - 1) this.sendAdmin(MsgType.Heartbeat, {});
      this.armHeartbeat();
    }, dueMs);
  }

  /** One timer for silence, re-armed from the last receive time rather than on every message. */
  private armInbound(): void {
    const limitMs = this.silenceLimitMs;
    const dueMs = Math.max(1, limitMs - (this.o.clock.nowUs() - this.lastRecvUs) / 1000);
    this.inboundTimer = this.o.clock.setTimeout(() => {
      this.inboundTimer = null;
      if (this.stateValue !== 'active') return;
      const silentMs = (this.o.clock.nowUs() - this.lastRecvUs) / 1000;
      if (this.readsPaused) {
        this.lastRecvUs = this.o.clock.nowUs();
      } else if (silentMs >= limitMs - 1) {
        if (this.testReqId) {
          this.fail(
            `no answer to TestRequest ${this.testReqId}: nothing received for ${Math.round(silentMs / 1000)} s`,
          );
          return;
        }
        this.sendTestRequest();
        // The answer gets a full silence limit of its own.
        this.lastRecvUs = this.o.clock.nowUs();
      }
      this.armInbound();
    }, dueMs);
  }

  private stopTimers(): void {
    const c = this.o.clock;
    for (const t of [
      this.heartbeatTimer,
      this.inboundTimer,
      this.logonTimer,
      this.logoutTimer,
      this.resendTimer,
    ]) {
      c.clearTimeout(t);
    }
    this.heartbeatTimer = this.inboundTimer = this.logonTimer = this.logoutTimer = this.resendTimer = null;
  }

  private resetTransient(): void {
    this.stopTimers();
    this.queue.clear();
    this.gaps.length = 0;
    this.highestQueued = 0;
    this.testReqId = null;
    this.readsPaused = false;
  }

  private markDirty(): void {
    if (this.saveTimer || this.nums.nextTargetSeqNum === this.savedTarget) return;
    this.saveTimer = this.o.clock.setTimeout(() => {
      this.saveTimer = null;
      this.saveNow();
    }, this.o.saveDelayMs);
  }

  /** Saves now if anything changed since the last save. */
  flushSave(): void {
    if (this.saveTimer) {
      this.o.clock.clearTimeout(this.saveTimer);
      this.saveTimer = null;
      this.saveNow();
    }
  }

  private saveNow(): void {
    this.o.clock.clearTimeout(this.saveTimer);
    this.saveTimer = null;
    this.o.seqStore.save(this.key, this.nums);
    this.savedTarget = this.nums.nextTargetSeqNum;
  }
}
