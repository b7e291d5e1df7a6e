// The ws-json field mapping with a live preview: the running feed's last messages (refreshed
// every 2 s) or messages pasted here, parsed with the mapping as it is being typed, by the same
// code the feed runs (previewJsonMapping), each message with the ticks it gives or its errors.
import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import { TIME_UNITS } from '../../shared/feeds/jsonMapping.ts';
import type { TimeUnit } from '../../shared/feeds/jsonMapping.ts';
import type { PreviewMessage } from '../../shared/feeds/jsonMappingApply.ts';
import { previewJsonMapping } from '../../shared/feeds/jsonMappingApply.ts';
import { errorText, useApp } from '../app/hooks.ts';
import { formatPrice } from '../format/price.ts';
import { formatDateTimeMs } from '../format/time.ts';
import type { FieldErrors, MappingDraft } from './feedDraft.ts';
import { checkMapping, mappingInput } from './feedDraft.ts';
import { splitPastedMessages } from './pastedMessages.ts';

const LAST_MESSAGES_EVERY_MS = 2000;
/** Messages previewed at once (the newest); a feed keeps up to 50. */
const PREVIEW_MESSAGES = 20;
const RAW_SHOWN = 400;

type PathField = Exclude<keyof MappingDraft, 'timeUnit' | 'sequenceScope' | 'sequenceMode' | 'extra'>;

const PATH_FIELDS: { key: PathField; label: string; placeholder: string; required?: boolean }[] = [
  { key: 'list', label: 'List', placeholder: 'optional: data.quotes (each element is a tick)' },
  { key: 'symbol', label: 'Symbol', placeholder: 's', required: true },
  { key: 'bid', label: 'Bid', placeholder: 'b', required: true },
  { key: 'ask', label: 'Ask', placeholder: 'a', required: true },
  { key: 'bidSize', label: 'Bid size', placeholder: 'optional' },
  { key: 'askSize', label: 'Ask size', placeholder: 'optional' },
  { key: 'time', label: 'Time', placeholder: 'optional: absent = receive time' },
  { key: 'source', label: 'Source', placeholder: "optional: per-message LP; absent = the feed's" },
  { key: 'sequence', label: 'Sequence', placeholder: 'optional' },
  { key: 'matchPath', label: 'Match path', placeholder: 'optional: type' },
  { key: 'matchEquals', label: 'Match value', placeholder: 'e.g. quote, 1, true' },
];

const ERROR_KEY: Partial<Record<PathField, string>> = {
  matchPath: 'match.path',
  matchEquals: 'match.equals',
};

export function MappingEditor({
  mapping,
  onChange,
  errors,
  feedId,
  feedRunning,
}: {
  mapping: MappingDraft;
  onChange: (m: MappingDraft) => void;
  /** Schema errors of the mapping's fields, keyed like 'symbol' or 'match.path'. */
  errors: FieldErrors;
  /** The saved feed this mapping belongs to, if any (its last messages can be previewed). */
  feedId: string | null;
  feedRunning: boolean;
}) {
  const set = <K extends keyof MappingDraft>(k: K, v: MappingDraft[K]) => onChange({ ...mapping, [k]: v });
  return (
    <fieldset className="mapping-editor" data-testid="mapping-editor">
      <legend>Field mapping</legend>
      <p className="muted small">
        Paths: <code>data.b</code>, <code>quotes.0.bid</code> or <code>quotes[0].bid</code>,{' '}
        <code>data[&quot;a.b&quot;]</code>; <code>$</code> is the whole message (in list mode a path starting
        with <code>$</code> reads the message, others read each element); <code>*</code> (every element) only
        in List.
      </p>
      <div className="mapping-grid">
        {PATH_FIELDS.map((f) => {
          const err = errors[ERROR_KEY[f.key] ?? f.key];
          return (
            <label key={f.key} className={err ? 'invalid' : ''}>
              <span>
                {f.label}
                {f.required ? ' *' : ''}
              </span>
              <input
                value={mapping[f.key]}
                placeholder={f.placeholder}
                onChange={(e) => set(f.key, e.target.value)}
                spellCheck={false}
                data-testid={`mapping-${f.key}`}
              />
              {err && <span className="form-error">{err}</span>}
            </label>
          );
        })}
        <label>
          <span>Time unit</span>
          <select
            value={mapping.timeUnit}
            onChange={(e) => set('timeUnit', e.target.value as TimeUnit)}
            data-testid="mapping-timeUnit"
          >
            {TIME_UNITS.map((u) => (
              <option key={u} value={u}>
                {u === 'iso' ? 'ISO 8601 text' : u}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Sequence counts</span>
          <select
            value={mapping.sequenceScope}
            onChange={(e) => set('sequenceScope', e.target.value as MappingDraft['sequenceScope'])}
            data-testid="mapping-sequenceScope"
          >
            <option value="symbol">per symbol</option>
            <option value="connection">per connection</option>
          </select>
        </label>
        <label>
          <span>Sequence numbers</span>
          <select
            value={mapping.sequenceMode}
            onChange={(e) => set('sequenceMode', e.target.value as MappingDraft['sequenceMode'])}
            data-testid="mapping-sequenceMode"
          >
            <option value="contiguous">contiguous: a skip is a gap</option>
            <option value="increasing">increasing: skips are normal</option>
          </select>
        </label>
      </div>
      <MappingPreview mapping={mapping} feedId={feedId} feedRunning={feedRunning} />
    </fieldset>
  );
}

type PreviewSource = 'feed' | 'pasted';

function MappingPreview({
  mapping,
  feedId,
  feedRunning,
}: {
  mapping: MappingDraft;
  feedId: string | null;
  feedRunning: boolean;
}) {
  const { api } = useApp();
  const canUseFeed = feedId !== null && feedRunning;
  const [chosen, setChosen] = useState<PreviewSource | null>(null);
  const from: PreviewSource = chosen ?? (canUseFeed ? 'feed' : 'pasted');
  const [pasted, setPasted] = useState('');
  const [pastedAtUs, setPastedAtUs] = useState(0);
  const [feedMessages, setFeedMessages] = useState<{ messages: string[]; atUs: number } | null>(null);
  const [feedError, setFeedError] = useState<string | null>(null);

  useEffect(() => {
    if (from !== 'feed' || feedId === null) return;
    let live = true;
    const fetchNow = () => {
      api.call('feeds.lastMessages', { id: feedId }).then(
        (r) => {
          if (!live) return;
          setFeedError(null);
          setFeedMessages({ messages: r.messages, atUs: Date.now() * 1000 });
        },
        (err: unknown) => {
          if (live) setFeedError(errorText(err));
        },
      );
    };
    fetchNow();
    const h = setInterval(fetchNow, LAST_MESSAGES_EVERY_MS);
    return () => {
      live = false;
      clearInterval(h);
    };
  }, [api, from, feedId]);

  const messages =
    from === 'feed' ? (feedMessages?.messages ?? []).slice(-PREVIEW_MESSAGES) : splitPastedMessages(pasted);
  const recvUs = from === 'feed' ? (feedMessages?.atUs ?? 0) : pastedAtUs;
  // Typing stays smooth on a slow machine: the preview may lag a keystroke behind the fields.
  const deferredMapping = useDeferredValue(mapping);
  const input = useMemo(() => mappingInput(deferredMapping), [deferredMapping]);
  const problems = useMemo(() => Object.values(checkMapping(deferredMapping)), [deferredMapping]);
  const messagesKey = messages.join('\u0000');
  const preview = useMemo(
    () => previewJsonMapping(input, messagesKey === '' ? [] : messagesKey.split('\u0000'), recvUs),
    [input, messagesKey, recvUs],
  );
  const ticks = preview.messages.reduce((n, m) => n + m.ticks.length, 0);
  const errors = preview.messages.reduce((n, m) => n + m.errors.length, 0);
  const skipped = preview.messages.filter((m) => m.skipped).length;

  return (
    <div className="mapping-preview">
      <div className="panel-head">
        <h3>Live preview</h3>
        <div className="segmented small-seg" role="radiogroup">
          <button
            type="button"
            className={from === 'feed' ? 'active' : ''}
            disabled={!canUseFeed}
            title={canUseFeed ? '' : 'Save and start the feed to preview its messages'}
            onClick={() => setChosen('feed')}
            data-testid="mapping-preview-from-feed"
          >
            Feed&apos;s last messages
          </button>
          <button
            type="button"
            className={from === 'pasted' ? 'active' : ''}
            onClick={() => setChosen('pasted')}
            data-testid="mapping-preview-from-pasted"
          >
            Pasted messages
          </button>
        </div>
      </div>
      {from === 'pasted' && (
        <textarea
          className="mono pasted"
          rows={5}
          value={pasted}
          placeholder="Paste messages: one JSON message per line (or one multi-line JSON document)"
          onChange={(e) => {
            setPasted(e.target.value);
            setPastedAtUs(Date.now() * 1000);
          }}
          spellCheck={false}
          data-testid="mapping-paste"
        />
      )}
      {from === 'feed' && feedError && <p className="form-error small">{feedError}</p>}
      <div
        className="preview-results"
        data-testid="mapping-preview"
        data-messages={preview.messages.length}
        data-ticks={ticks}
        data-errors={errors}
        data-skipped={skipped}
        data-mapping-valid={String(preview.mappingError === null)}
      >
        {preview.mappingError !== null ? (
          <div className="form-error small" data-testid="mapping-preview-error">
            The mapping is not complete yet:
            <ul className="preview-errors">
              {(problems.length > 0 ? problems : [preview.mappingError]).map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </div>
        ) : messages.length === 0 ? (
          <p className="muted small">
            {from === 'feed'
              ? 'No messages from the feed yet.'
              : 'Paste a message to see what the mapping reads.'}
          </p>
        ) : (
          <>
            <p className="small">
              {preview.messages.length} messages → <b>{ticks}</b> ticks, <b>{errors}</b> errors, {skipped}{' '}
              skipped (match did not hold)
            </p>
            <ol className="preview-list">
              {preview.messages.map((m, i) => (
                <PreviewItem key={i} m={m} />
              ))}
            </ol>
          </>
        )}
      </div>
    </div>
  );
}

function PreviewItem({ m }: { m: PreviewMessage }) {
  const { zone } = useApp();
  const raw = m.raw.length > RAW_SHOWN ? `${m.raw.slice(0, RAW_SHOWN)}…` : m.raw;
  return (
    <li
      className={m.errors.length > 0 ? 'has-errors' : m.skipped ? 'skipped' : ''}
      data-testid="mapping-preview-message"
      data-ticks={m.ticks.length}
      data-errors={m.errors.length}
    >
      <pre className="sample">{raw}</pre>
      {m.skipped && <p className="muted small">skipped: the match did not hold (not a quote)</p>}
      {m.ticks.length > 0 && (
        <table className="grid compact">
          <thead>
            <tr>
              <th>Symbol</th>
              <th className="num">Bid</th>
              <th className="num">Ask</th>
              <th className="num">Sizes</th>
              <th>Time</th>
              <th>Source</th>
              <th className="num">Seq</th>
            </tr>
          </thead>
          <tbody>
            {m.ticks.map((t, j) => (
              <tr key={j} data-testid="mapping-preview-tick" data-symbol={t.symbol} data-bid={t.bid}>
                <td className="sym">{t.symbol}</td>
                <td className="num mono bid">{formatPrice(t.bid)}</td>
                <td className="num mono ask">{formatPrice(t.ask)}</td>
                <td className="num mono">
                  {t.bidSize ?? '—'} / {t.askSize ?? '—'}
                </td>
                <td className="mono">
                  {t.noExchangeTime ? (
                    <span className="muted">receive time</span>
                  ) : (
                    formatDateTimeMs(t.tsUs, zone)
                  )}
                </td>
                <td className="mono">{t.source ?? <span className="muted">feed&apos;s</span>}</td>
                <td className="num mono">{t.seq ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {m.errors.length > 0 && (
        <ul className="preview-errors">
          {m.errors.map((e, j) => (
            <li
              key={j}
              className="form-error small"
              data-testid="mapping-preview-issue"
              data-reason={e.reason}
            >
              <span className="mono">{e.reason}</span>
              {e.path && (
                <>
                  {' '}
                  at <code>{e.path}</code>
                </>
              )}
              : {e.detail}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
