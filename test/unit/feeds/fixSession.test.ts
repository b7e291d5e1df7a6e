// The FIX session state machine with a hand-driven clock and a recording transport: Logon,
// heartbeats and TestRequests both ways, dead peers, gaps and their recovery, SequenceReset in
// both forms, too-low numbers, Logout, rejects and the persisted numbers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualFeedClock } from '../../../electron/feeds/core/feedClock.ts';
import type { FixBody, FixInbound } from '../../../electron/feeds/fix/fixMessages.ts';
import { Tag } from '../../../electron/feeds/fix/fixMessages.ts';
import type { FixSeqNums, FixSeqStore } from '../../../electron/feeds/fix/fixSeqStore.ts';
import { createMemorySeqStore } from '../../../electron/feeds/fix/fixSeqStore.ts';
import type {
  FixRejection,
  FixSessionIo,
  FixSessionOptions,
} from '../../../electron/feeds/fix/fixSession.ts';
import { FixSession } from '../../../electron/feeds/fix/fixSession.ts';

interface Sent {
  msgType: string;
  seq: number;
  body: FixBody;
  possDup?: boolean;
  /** The sender number the store held when this went out. */
  savedSender: number | null;
}

function harness(opts: Partial<FixSessionOptions> = {}, store: FixSeqStore = createMemorySeqStore()) {
  const clock = new ManualFeedClock();
  const sent: Sent[] = [];
  const app: number[] = [];
  const closes: string[] = [];
  const errors: (string | null)[] = [];
  const gaps: [number, number][] = [];
  const filled: [number, number, string][] = [];
  const rejected: FixRejection[] = [];
  let loggedOn = 0;
  const key = { beginString: 'FIX.4.4', senderCompId: 'US', targetCompId: 'LP' };
  const session = new FixSession({
    senderCompId: 'US',
    targetCompId: 'LP',
    heartbeatSec: 10,
    resetOnLogon: false,
    clock,
    seqStore: store,
    ...opts,
  });
  const io: FixSessionIo = {
    send: (msgType, seq, body, o) =>
      sent.push({
        msgType,
        seq,
        body,
        possDup: o?.possDup,
        savedSender: store.load(key)?.nextSenderSeqNum ?? null,
      }),
    close: (r) => closes.push(r),
    loggedOn: () => loggedOn++,
    application: (m) => app.push(m.seqNum),
    rejected: (r) => rejected.push(r),
    gap: (f, t) => gaps.push([f, t]),
    gapFilled: (f, t, _since, how) => filled.push([f, t, how]),
    error: (t) => errors.push(t),
  };
  const h = {
    clock,
    session,
    io,
    sent,
    app,
    closes,
    errors,
    gaps,
    filled,
    rejected,
    store,
    key,
    get loggedOn() {
      return loggedOn;
    },
    types: () => sent.map((s) => s.msgType),
    last: () => sent[sent.length - 1],
    /** Connects and answers the Logon with the peer's next number. */
    logon(peerSeq = 1, fields: [number, string][] = []) {
      session.connected(io);
      session.receive(inbound('A', peerSeq, [[Tag.HeartBtInt, '10'], ...fields]));
    },
  };
  return h;
}

function inbound(
  msgType: string,
  seqNum: number,
  fields: [number, string][] = [],
  possDup = false,
): FixInbound {
  return {
    msgType,
    seqNum,
    possDup,
    senderCompId: 'LP',
    targetCompId: 'US',
    sendingTime: '20260101-00:00:00.000',
    origSendingTime: possDup ? '20260101-00:00:00.000' : null,
    fields: new Map(fields),
    entries: msgType === 'W' || msgType === 'X' ? [] : null,
    declaredEntries: null,
  };
}

describe('FixSession: logon', () => {
  it('logs on with HeartBtInt, Username and Password, no reset, at the persisted numbers', () => {
    const store = createMemorySeqStore();
    store.save(
      { beginString: 'FIX.4.4', senderCompId: 'US', targetCompId: 'LP' },
      { nextSenderSeqNum: 41, nextTargetSeqNum: 77 },
    );
    const h = harness({ username: 'trader', password: 's3cret' }, store);
    h.session.connected(h.io);
    assert.deepEqual(h.sent[0], {
      msgType: 'A',
      seq: 41,
      body: { EncryptMethod: 0, HeartBtInt: 10, Username: 'trader', Password: 's3cret' },
      possDup: undefined,
      savedSender: 42,
    });
    assert.equal(h.session.state, 'logon_sent');
    h.session.receive(inbound('A', 77, [[Tag.HeartBtInt, '10']]));
    assert.equal(h.session.state, 'active');
    assert.equal(h.loggedOn, 1);
    assert.deepEqual(h.session.seqNums, { nextSenderSeqNum: 42, nextTargetSeqNum: 78 });
  });

  it('resetOnLogon starts both numbers at 1 and sends ResetSeqNumFlag', () => {
    const store = createMemorySeqStore();
    store.save(
      { beginString: 'FIX.4.4', senderCompId: 'US', targetCompId: 'LP' },
      { nextSenderSeqNum: 41, nextTargetSeqNum: 77 },
    );
    const h = harness({ resetOnLogon: true }, store);
    h.session.connected(h.io);
    assert.equal(h.sent[0].seq, 1);
    assert.equal(h.sent[0].body.ResetSeqNumFlag, true);
    h.session.receive(inbound('A', 1, [[Tag.ResetSeqNumFlag, 'Y']]));
    assert.equal(h.session.state, 'active');
    assert.deepEqual(h.session.seqNums, { nextSenderSeqNum: 2, nextTargetSeqNum: 2 });
  });

  it('gives up on a Logon that is not answered, and reports a refused one with its text', () => {
    const h = harness({ logonTimeoutMs: 5_000 });
    h.session.connected(h.io);
    h.clock.advanceMs(4_999);
    assert.deepEqual(h.closes, []);
    h.clock.advanceMs(2);
    assert.match(h.closes[0], /no Logon answer within 5 s/);
    assert.equal(h.session.state, 'disconnected');

    const r = harness();
    r.session.connected(r.io);
    r.session.receive(inbound('5', 1, [[Tag.Text, 'invalid password']]));
    assert.match(r.closes[0], /refused the Logon: invalid password/);
    assert.match(r.errors.at(-1) ?? '', /invalid password/);
  });

  it('rejects and logs out of a peer with the wrong CompIDs', () => {
    const h = harness();
    h.logon();
    h.session.receive({ ...inbound('0', 2), senderCompId: 'SOMEONE' });
    assert.deepEqual(h.types().slice(-2), ['3', '5']);
    assert.equal(h.sent.at(-2)?.body.SessionRejectReason, 9);
    assert.match(h.closes[0], /CompID problem/);
  });
});

describe('FixSession: heartbeats and dead peers', () => {
  it('answers a TestRequest with a Heartbeat carrying its TestReqID', () => {
    const h = harness();
    h.logon();
    h.session.receive(inbound('1', 2, [[Tag.TestReqID, 'ping-42']]));
    assert.deepEqual(h.last().msgType, '0');
    assert.deepEqual(h.last().body, { TestReqID: 'ping-42' });
  });

  it('sends a Heartbeat after HeartBtInt of our own silence, not before', () => {
    const h = harness();
    h.logon();
    const n = h.sent.length;
    for (let i = 0; i < 9; i++) {
      h.clock.advanceMs(1_000);
      h.session.receive(inbound('0', 2 + i));
    }
    assert.equal(h.sent.length, n, 'nothing sent during 9 s');
    h.clock.advanceMs(1_001);
    assert.equal(h.last().msgType, '0');
    assert.deepEqual(h.last().body, {});
  });

  it('asks with a TestRequest after HeartBtInt + slack of silence; an answer keeps the session', () => {
    const h = harness();
    h.logon();
    const limit = h.session.silenceLimitMs;
    assert.equal(limit, 12_000, 'HeartBtInt 10 s + a fifth');
    h.clock.advanceMs(limit - 10);
    assert.ok(!h.types().includes('1'));
    h.clock.advanceMs(20);
    const tr = h.sent.find((s) => s.msgType === '1');
    assert.ok(tr, 'TestRequest sent');
    h.session.receive(inbound('0', 2, [[Tag.TestReqID, String(tr.body.TestReqID)]]));
    h.clock.advanceMs(limit - 100);
    assert.deepEqual(h.closes, []);
    assert.equal(h.session.state, 'active');
  });

  it('drops a peer that does not answer its TestRequest', () => {
    const h = harness();
    h.logon();
    h.clock.advanceMs(h.session.silenceLimitMs + 1);
    assert.ok(h.types().includes('1'));
    h.clock.advanceMs(h.session.silenceLimitMs + 1);
    assert.equal(h.closes.length, 1);
    assert.match(h.closes[0], /no answer to TestRequest/);
    assert.equal(h.session.state, 'disconnected');
  });

  it('does not call the peer dead while our own reads are paused (backpressure)', () => {
    const h = harness();
    h.logon();
    h.session.setReadsPaused(true);
    h.clock.advanceMs(h.session.silenceLimitMs * 5);
    assert.ok(!h.types().includes('1'));
    assert.deepEqual(h.closes, []);
    h.session.setReadsPaused(false);
    h.clock.advanceMs(h.session.silenceLimitMs + 1);
    assert.ok(h.types().includes('1'), 'after resuming, silence counts again');
  });

  it('probe() sends a TestRequest at once and finds a dead peer within one silence limit', () => {
    const h = harness();
    h.logon();
    h.clock.advanceMs(1_000);
    h.session.probe();
    assert.equal(h.last().msgType, '1');
    h.clock.advanceMs(h.session.silenceLimitMs + 1);
    assert.match(h.closes[0] ?? '', /no answer to TestRequest/);
  });
});

describe('FixSession: gaps', () => {
  it('asks for exactly the missing range, holds later messages, and applies all in order once resent', () => {
    const h = harness();
    h.logon(1);
    h.session.receive(inbound('X', 2));
    h.session.receive(inbound('X', 5));
    assert.deepEqual(h.gaps, [[3, 4]]);
    assert.deepEqual(h.last().msgType, '2');
    assert.deepEqual(h.last().body, { BeginSeqNo: 3, EndSeqNo: 4 });
    h.session.receive(inbound('X', 6));
    assert.deepEqual(h.app, [2], '5 and 6 wait for the gap');
    h.session.receive(inbound('X', 3, [], true));
    assert.deepEqual(h.app, [2, 3]);
    assert.deepEqual(h.filled, []);
    h.session.receive(inbound('X', 4, [], true));
    assert.deepEqual(h.app, [2, 3, 4, 5, 6]);
    assert.deepEqual(h.filled, [[3, 4, 'filled by 2 resent messages (PossDupFlag=Y)']]);
    assert.equal(h.session.seqNums.nextTargetSeqNum, 7);
    // The peer resends 5 and 6 too (EndSeqNo beyond what was asked): duplicates, dropped.
    h.session.receive(inbound('X', 5, [], true));
    assert.deepEqual(h.app, [2, 3, 4, 5, 6]);
    assert.equal(h.session.duplicates, 1);
  });

  it('closes a gap with a SequenceReset-GapFill', () => {
    const h = harness();
    h.logon(1);
    h.session.receive(inbound('X', 5));
    h.session.receive(
      inbound(
        '4',
        2,
        [
          [Tag.GapFillFlag, 'Y'],
          [Tag.NewSeqNo, '5'],
        ],
        true,
      ),
    );
    assert.deepEqual(h.app, [5]);
    assert.deepEqual(h.filled, [[2, 4, 'filled by SequenceReset-GapFill']]);
  });

  it('asks again for a second hole that opens while the first is still open', () => {
    const h = harness();
    h.logon(1);
    h.session.receive(inbound('X', 4));
    h.session.receive(inbound('X', 5));
    h.session.receive(inbound('X', 8));
    assert.deepEqual(h.gaps, [
      [2, 3],
      [6, 7],
    ]);
    h.session.receive(
      inbound(
        '4',
        2,
        [
          [Tag.GapFillFlag, 'Y'],
          [Tag.NewSeqNo, '4'],
        ],
        true,
      ),
    );
    assert.deepEqual(h.app, [4, 5]);
    h.session.receive(inbound('X', 6, [], true));
    h.session.receive(inbound('X', 7, [], true));
    assert.deepEqual(h.app, [4, 5, 6, 7, 8]);
    assert.deepEqual(
      h.filled.map(([f, t]) => [f, t]),
      [
        [2, 3],
        [6, 7],
      ],
    );
  });

  it('acts at once on a TestRequest or a Logon that arrives above a gap', () => {
    const h = harness();
    h.session.connected(h.io);
    h.session.receive(inbound('A', 3));
    assert.equal(h.session.state, 'active', 'logged on despite the gap');
    assert.deepEqual(h.gaps, [[1, 2]]);
    h.session.receive(inbound('1', 4, [[Tag.TestReqID, 'now']]));
    assert.deepEqual(h.last().body, { TestReqID: 'now' }, 'answered before the gap closed');
    h.session.receive(
      inbound(
        '4',
        1,
        [
          [Tag.GapFillFlag, 'Y'],
          [Tag.NewSeqNo, '3'],
        ],
        true,
      ),
    );
    assert.equal(h.session.seqNums.nextTargetSeqNum, 5);
    assert.equal(h.sent.filter((s) => s.body.TestReqID === 'now').length, 1, 'not answered twice');
  });

  it('gives up on a gap the peer never resends, and applies what it held', () => {
    const h = harness({ resendTimeoutMs: 30_000 });
    h.logon(1);
    h.session.receive(inbound('X', 4));
    h.session.receive(inbound('X', 5));
    // The peer stays alive (heartbeats, queued behind the gap) but never resends 2..3.
    for (let seq = 6; seq <= 11; seq++) {
      h.clock.advanceMs(4_900);
      h.session.receive(inbound('0', seq));
    }
    assert.deepEqual(h.app, []);
    h.clock.advanceMs(30_000 - 6 * 4_900 + 1);
    assert.deepEqual(h.app, [4, 5]);
    assert.match(h.errors.at(-1) ?? '', /sequence gap 2\.\.3 not recovered/);
    assert.deepEqual(h.filled, []);
    assert.equal(h.session.seqNums.nextTargetSeqNum, 12);
    assert.deepEqual(h.closes, []);
  });

  it('SequenceReset-Reset moves the expected number up (a skip is a gap, not a fill) and never down', () => {
    const h = harness();
    h.logon(1);
    h.session.receive(inbound('4', 99, [[Tag.NewSeqNo, '10']]));
    assert.equal(h.session.seqNums.nextTargetSeqNum, 10);
    assert.deepEqual(h.gaps, [[2, 9]]);
    assert.deepEqual(h.filled, []);
    h.session.receive(inbound('4', 1, [[Tag.NewSeqNo, '5']]));
    assert.equal(h.session.seqNums.nextTargetSeqNum, 10, 'not lowered');
    assert.equal(h.last().msgType, '3');
    assert.equal(h.last().body.SessionRejectReason, 5);
    h.session.receive(inbound('X', 10));
    assert.deepEqual(h.app, [10]);
  });

  it('logs out with the FIX reason on a too-low MsgSeqNum without PossDupFlag', () => {
    const h = harness();
    h.logon(1);
    h.session.receive(inbound('X', 2));
    h.session.receive(inbound('X', 3));
    h.session.receive(inbound('X', 2));
    assert.equal(h.last().msgType, '5');
    assert.equal(h.last().body.Text, 'MsgSeqNum too low, expecting 4 but received 2');
    assert.match(h.closes[0], /too low/);
    assert.deepEqual(h.app, [2, 3]);
  });
});

describe('FixSession: the peer asks, refuses, leaves', () => {
  it('answers a ResendRequest with a GapFill over our range (no stale subscriptions replayed)', () => {
    const h = harness();
    h.logon(1);
    h.session.sendApplication('V', { MDReqID: 'a' });
    h.session.sendApplication('V', { MDReqID: 'b' });
    const next = h.session.seqNums.nextSenderSeqNum;
    h.session.receive(
      inbound('2', 2, [
        [Tag.BeginSeqNo, '2'],
        [Tag.EndSeqNo, '0'],
      ]),
    );
    const gf = h.last();
    assert.equal(gf.msgType, '4');
    assert.equal(gf.seq, 2, 'a GapFill carries the first number it replaces');
    assert.equal(gf.possDup, true);
    assert.deepEqual(gf.body, { GapFillFlag: true, NewSeqNo: next });
    assert.equal(h.session.seqNums.nextSenderSeqNum, next, 'it uses no new number');
  });

  it('reports Reject, MarketDataRequestReject and BusinessMessageReject with code and words', () => {
    const h = harness();
    h.logon(1);
    h.session.receive(
      inbound('3', 2, [
        [Tag.RefSeqNum, '3'],
        [Tag.RefMsgType, 'V'],
        [Tag.RefTagID, '55'],
        [Tag.SessionRejectReason, '5'],
        [Tag.Text, 'bad symbol'],
      ]),
    );
    h.session.receive(
      inbound('Y', 3, [
        [Tag.MDReqID, 'r1'],
        [Tag.MDReqRejReason, '0'],
      ]),
    );
    h.session.receive(
      inbound('Y', 4, [
        [Tag.MDReqID, 'r2'],
        [Tag.MDReqRejReason, 'A'],
        [Tag.Text, 'no scope'],
      ]),
    );
    h.session.receive(
      inbound('j', 5, [
        [Tag.RefSeqNum, '4'],
        [Tag.RefMsgType, 'V'],
        [Tag.BusinessRejectReason, '6'],
      ]),
    );
    assert.deepEqual(
      h.rejected.map((r) => [r.msgType, r.code, r.refSeqNum, r.refId, r.reason]),
      [
        [
          '3',
          5,
          3,
          null,
          'Reject of our V message seq 3 tag 55: bad symbol — value is incorrect (out of range) for this tag',
        ],
        ['Y', 0, null, 'r1', 'MarketDataRequest r1 rejected: unknown symbol'],
        ['Y', null, null, 'r2', 'MarketDataRequest r2 rejected: no scope — unsupported Scope'],
        ['j', 6, 4, null, 'BusinessMessageReject of our V message seq 4: not authorized'],
      ],
    );
  });

  it('answers the peer’s Logout and hangs up with its text', () => {
    const h = harness();
    h.logon(1);
    h.session.receive(inbound('5', 2, [[Tag.Text, 'end of day']]));
    assert.equal(h.last().msgType, '5');
    assert.match(h.closes[0], /the peer logged out: end of day/);
    assert.equal(h.session.state, 'disconnected');
  });

  it('logout() waits for the peer’s Logout, or gives up after the bound', async () => {
    const h = harness({ logoutTimeoutMs: 2_000 });
    h.logon(1);
    let done = false;
    const p = h.session.logout().then(() => (done = true));
    assert.equal(h.last().msgType, '5');
    await Promise.resolve();
    assert.equal(done, false);
    h.session.receive(inbound('5', 2));
    await p;
    assert.match(h.closes[0], /logged out/);

    const t = harness({ logoutTimeoutMs: 2_000 });
    t.logon(1);
    const q = t.session.logout('bye');
    t.clock.advanceMs(2_001);
    await q;
    assert.match(t.closes[0], /bye: no Logout answer within 2 s/);
  });
});

describe('FixSession: persisted numbers', () => {
  it('saves the sender number before each message goes out, and the target number soon after', () => {
    const store = createMemorySeqStore();
    const h = harness({ saveDelayMs: 200 }, store);
    h.logon(1);
    for (const s of h.sent) assert.equal(s.savedSender, s.seq + 1, `seq ${s.seq} was saved before sending`);
    for (let i = 2; i <= 50; i++) h.session.receive(inbound('X', i));
    const before = store.saves;
    assert.ok((store.load(h.key) as FixSeqNums).nextTargetSeqNum < 51, 'not saved per message');
    h.clock.advanceMs(201);
    assert.equal((store.load(h.key) as FixSeqNums).nextTargetSeqNum, 51);
    assert.ok(store.saves - before <= 2, 'coalesced');
    h.session.receive(inbound('X', 51));
    h.session.transportClosed();
    assert.equal((store.load(h.key) as FixSeqNums).nextTargetSeqNum, 52, 'flushed when the connection ends');

    const again = harness({}, store);
    again.session.connected(again.io);
    assert.equal(again.sent[0].seq, h.session.seqNums.nextSenderSeqNum, 'a new session resumes');
  });
});
