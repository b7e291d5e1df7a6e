// The FIX 4.4 messages the market-data session exchanges, as plain values: what the codec decodes
// a verified frame into, and the bodies (jspurefix's dictionary names) the session encodes.

export const MsgType = {
  Heartbeat: '0',
  TestRequest: '1',
  ResendRequest: '2',
  Reject: '3',
  SequenceReset: '4',
  Logout: '5',
  Logon: 'A',
  MarketDataRequest: 'V',
  MarketDataSnapshot: 'W',
  MarketDataIncremental: 'X',
  MarketDataRequestReject: 'Y',
  BusinessMessageReject: 'j',
} as const;

/** Tags read from inbound messages (top level). */
export const Tag = {
  BeginSeqNo: 7,
  EndSeqNo: 16,
  MsgSeqNum: 34,
  NewSeqNo: 36,
  PossDupFlag: 43,
  RefSeqNum: 45,
  SenderCompID: 49,
  SendingTime: 52,
  Symbol: 55,
  TargetCompID: 56,
  Text: 58,
  HeartBtInt: 108,
  TestReqID: 112,
  OrigSendingTime: 122,
  GapFillFlag: 123,
  ResetSeqNumFlag: 141,
  MDReqID: 262,
  MDReqRejReason: 281,
  RefTagID: 371,
  RefMsgType: 372,
  SessionRejectReason: 373,
  BusinessRejectRefID: 379,
  BusinessRejectReason: 380,
  Username: 553,
  Password: 554,
} as const;

/** The top-level tags the codec keeps from every inbound message. */
export const KEPT_TAGS: readonly number[] = [
  Tag.BeginSeqNo,
  Tag.EndSeqNo,
  Tag.NewSeqNo,
  Tag.RefSeqNum,
  Tag.Symbol,
  Tag.Text,
  Tag.HeartBtInt,
  Tag.TestReqID,
  Tag.GapFillFlag,
  Tag.ResetSeqNumFlag,
  Tag.MDReqID,
  Tag.MDReqRejReason,
  Tag.RefTagID,
  Tag.RefMsgType,
  Tag.SessionRejectReason,
  Tag.BusinessRejectRefID,
  Tag.BusinessRejectReason,
];

/** One NoMDEntries instance of a W or X, as wire text. */
export interface FixMdEntry {
  /** MDUpdateAction (279): 0 new, 1 change, 2 delete; absent in a snapshot. */
  action: string | null;
  /** MDEntryType (269): 0 bid, 1 offer, others ignored. */
  type: string | null;
  symbol: string | null;
  px: string | null;
  size: string | null;
  date: string | null;
  time: string | null;
}

export interface FixInbound {
  msgType: string;
  seqNum: number;
  possDup: boolean;
  senderCompId: string;
  targetCompId: string;
  sendingTime: string | null;
  origSendingTime: string | null;
  /** The kept top-level fields (KEPT_TAGS) by tag, as wire text. */
  fields: ReadonlyMap<number, string>;
  /** W / X: the NoMDEntries instances; null for other messages. */
  entries: FixMdEntry[] | null;
  /** NoMDEntries as the peer declared it (it can differ from entries.length; see the codec). */
  declaredEntries: number | null;
  /** When the feed received it (feed clock, µs); set by the feed, kept while the message is queued. */
  recvUs?: number;
}

/** An outbound body keyed by the FIX 4.4 dictionary's field and component names. */
export type FixBody = Record<string, unknown>;

export interface FixOutboundHeader {
  msgType: string;
  seqNum: number;
  senderCompId: string;
  targetCompId: string;
  sendingTimeUs: number;
  possDup?: boolean;
  origSendingTimeUs?: number;
}

export function field(m: FixInbound, tag: number): string | null {
  return m.fields.get(tag) ?? null;
}

export function intField(m: FixInbound, tag: number): number | null {
  const s = m.fields.get(tag);
  if (s === undefined || !/^\d{1,15}$/.test(s)) return null;
  return Number(s);
}

export function flagField(m: FixInbound, tag: number): boolean {
  return m.fields.get(tag) === 'Y';
}

/** A MarketDataRequest for one symbol's top of book: snapshot + incremental updates, bid and offer. */
export function marketDataRequest(mdReqId: string, symbol: string): FixBody {
  return {
    MDReqID: mdReqId,
    SubscriptionRequestType: '1',
    MarketDepth: 1,
    MDUpdateType: 1,
    MDReqGrp: { NoMDEntryTypes: [{ MDEntryType: '0' }, { MDEntryType: '1' }] },
    InstrmtMDReqGrp: { NoRelatedSym: [{ Instrument: { Symbol: symbol } }] },
  };
}
