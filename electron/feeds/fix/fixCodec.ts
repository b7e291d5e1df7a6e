// FIX 4.4 encoding and decoding through jspurefix: its QuickFIX-format FIX44 dictionary, its
// AsciiEncoder (field order, repeating groups, BodyLength, CheckSum) for what we send, and its
// AsciiParser (dictionary-driven structure, groups) for frames the FixFramer has already proved
// whole. jspurefix is CommonJS and its classes use tsyringe decorators, which need the
// reflect-metadata polyfill loaded first; both are loaded on first use only, so the app pays the
// ~0.5 s load only when a FIX feed starts.
import { createRequire } from 'node:module';
import type { FixBody, FixInbound, FixMdEntry, FixOutboundHeader } from './fixMessages.ts';
import { KEPT_TAGS } from './fixMessages.ts';

export class FixDecodeError extends Error {
  readonly reason: 'decode_failed' | 'missing_header';
  constructor(reason: 'decode_failed' | 'missing_header', message: string) {
    super(message);
    this.name = 'FixDecodeError';
    this.reason = reason;
  }
}

export interface FixCodec {
  encode(header: FixOutboundHeader, body: FixBody): Buffer;
  /** One whole, checksum-verified frame → its fields; throws FixDecodeError. */
  decode(frame: Buffer): FixInbound;
}

// The slice of jspurefix this module drives (its typings are CommonJS declarations; these are
// the members used, so a jspurefix upgrade that changes them fails here, in one place).
interface JfView {
  getString(tag: number | string): string | null;
  getView(name: string): JfView | null;
  groupCount(): number;
  getGroupInstance(i: number): JfView | null;
}
interface JfParser {
  on(event: 'msg', fn: (msgType: string, view: JfView | null) => void): void;
  on(event: 'error', fn: (e: Error) => void): void;
  parseBuffer(b: Buffer): void;
  reset(): void;
}
interface JfBuffer {
  reset(): void;
  getPos(): number;
  sum(): number;
  copy(): Buffer;
  patchPaddedNumberAtPos(pos: number, v: number, width: number): void;
}
interface JfEncoder {
  bodyLengthPos: number;
  msgTypePos: number;
  reset(): void;
  encode(o: Record<string, unknown>, name: string): void;
}
interface Jspurefix {
  definitions: { message: Map<string, { name: string }> };
  newParser(): JfParser;
  newEncoder(): { buffer: JfBuffer; encoder: JfEncoder };
}

const SOH = 1;
const BODY_LENGTH_WIDTH = 7;
const PARSE_BUFFER_BYTES = 320 * 1024;

let loading: Promise<Jspurefix> | null = null;

/** Loads jspurefix and its FIX 4.4 dictionary once per process. */
function loadJspurefix(): Promise<Jspurefix> {
  loading ??= (async () => {
    await import('reflect-metadata');
    const jf = (await import('jspurefix')).default;
    const ascii = (await import('jspurefix/dist/buffer/ascii/index.js')).default;
    const require = createRequire(import.meta.url);
    // The dictionary file by absolute path: jspurefix's alias table resolves relative to its own
    // install, which a bundler may move.
    const dictPath = require.resolve('jspurefix/data/FIX44.xml');
    const definitions = await new jf.DefinitionFactory().getDefinitions(dictPath);
    const logs = new jf.EmptyLogFactory();
    const container = new jf.SessionContainer();
    container.registerGlobal(logs);
    const description = {
      application: { name: 'tickscope', type: 'initiator', protocol: 'ascii', dictionary: dictPath },
      BeginString: 'FIX.4.4',
      SenderCompId: 'tickscope',
      TargetCompID: 'peer',
      HeartBtInt: 30,
    };
    return {
      definitions: definitions as unknown as Jspurefix['definitions'],
      newParser(): JfParser {
        // Each parser gets its own child container: its receive buffer and parse state are its own.
        const child = container.newChild(description as never);
        const config = new jf.JsFixConfig(null, definitions, description as never, SOH, logs);
        container.registerSession(config, child);
        const buffer = child.resolve(jf.DITokens.ParseBuffer) as never;
        return new jf.AsciiParser(config, null, buffer, PARSE_BUFFER_BYTES) as unknown as JfParser;
      },
      newEncoder() {
        const buffer = new jf.ElasticBuffer(16 * 1024);
        const encoder = new ascii.AsciiEncoder(
          buffer,
          definitions,
          new ascii.TimeFormatter(buffer),
          SOH,
          SOH,
        );
        return { buffer: buffer as unknown as JfBuffer, encoder: encoder as unknown as JfEncoder };
      },
    };
  })();
  loading.catch(() => {
    loading = null;
  });
  return loading;
}

/** A codec for one connection (the parser keeps state between calls). */
export async function createFixCodec(): Promise<FixCodec> {
  const jf = await loadJspurefix();
  const parser = jf.newParser();
  const { buffer, encoder } = jf.newEncoder();
  let decoded: FixInbound | null = null;
  let failure: Error | null = null;
  parser.on('msg', (msgType, view) => {
    // The view is only valid during this call: the parser reuses its buffers.
    decoded = view ? readView(msgType, view) : null;
  });
  parser.on('error', (e) => {
    failure = e;
  });

  return {
    encode(h, body) {
      const def = jf.definitions.message.get(h.msgType);
      if (!def) throw new Error(`the FIX 4.4 dictionary has no message type ${h.msgType}`);
      encoder.reset();
      const header: Record<string, unknown> = {
        BeginString: 'FIX.4.4',
        BodyLength: 10 ** (BODY_LENGTH_WIDTH - 1) + 1,
        MsgType: h.msgType,
        SenderCompID: h.senderCompId,
        TargetCompID: h.targetCompId,
        MsgSeqNum: h.seqNum,
        SendingTime: new Date(Math.floor(h.sendingTimeUs / 1000)),
      };
      if (h.possDup) header.PossDupFlag = true;
      if (h.origSendingTimeUs !== undefined)
        header.OrigSendingTime = new Date(Math.floor(h.origSendingTimeUs / 1000));
      encoder.encode(header, 'StandardHeader');
      encoder.encode(body, def.name);
      buffer.patchPaddedNumberAtPos(
        encoder.bodyLengthPos,
        buffer.getPos() - encoder.msgTypePos,
        BODY_LENGTH_WIDTH,
      );
      const checksum = buffer.sum() % 256;
      encoder.encode({ CheckSum: String(checksum).padStart(3, '0') }, 'StandardTrailer');
      return buffer.copy();
    },

    decode(frame) {
      decoded = null;
      failure = null;
      try {
        parser.parseBuffer(frame);
      } catch (e) {
        if (e instanceof FixDecodeError) {
          parser.reset();
          throw e;
        }
        failure = e as Error;
      }
      if (failure || !decoded) {
        parser.reset();
        const why = failure ? failure.message : 'no message';
        throw new FixDecodeError('decode_failed', `jspurefix could not read the message: ${why}`);
      }
      return decoded;
    },
  };
}

function readView(msgType: string, view: JfView): FixInbound {
  const seqText = view.getString(34);
  const sender = view.getString(49);
  const target = view.getString(56);
  if (!seqText || !/^\d{1,15}$/.test(seqText) || !sender || !target) {
    throw new FixDecodeError(
      'missing_header',
      'MsgSeqNum, SenderCompID or TargetCompID is missing or invalid',
    );
  }
  const fields = new Map<number, string>();
  for (const tag of KEPT_TAGS) {
    const v = view.getString(tag);
    if (v !== null) fields.set(tag, v);
  }
  let entries: FixMdEntry[] | null = null;
  let declaredEntries: number | null = null;
  if (msgType === 'W' || msgType === 'X') {
    const declared = view.getString(268);
    declaredEntries = declared !== null && /^\d+$/.test(declared) ? Number(declared) : null;
    entries = [];
    const group = view.getView('NoMDEntries');
    const n = group ? group.groupCount() : 0;
    for (let i = 0; i < n; i++) {
      const e = group?.getGroupInstance(i);
      if (!e) continue;
      entries.push({
        action: e.getString(279),
        type: e.getString(269),
        symbol: e.getString(55),
        px: e.getString(270),
        size: e.getString(271),
        date: e.getString(272),
        time: e.getString(273),
      });
    }
  }
  return {
    msgType,
    seqNum: Number(seqText),
    possDup: view.getString(43) === 'Y',
    senderCompId: sender,
    targetCompId: target,
    sendingTime: view.getString(52),
    origSendingTime: view.getString(122),
    fields,
    entries,
    declaredEntries,
  };
}
