// Add or edit a feed: the fields of its kind's schema, checked with that schema as the user types
// (after the first save attempt) and again by the server on `feeds.save`. A FIX password is
// write-only: it goes to `feeds.setSecret` and the form keeps only whether one is set.
import type { ReactNode } from 'react';
import { useState } from 'react';
import type { FeedKind } from '../../shared/feeds/feedConfig.ts';
import { DEFAULT_FEED_URLS, FEED_KINDS } from '../../shared/feeds/feedConfig.ts';
import type { FeedEntry } from '../../shared/ipc/feedChannels.ts';
import { errorText, useApp } from '../app/hooks.ts';
import type { FeedDraft, FieldErrors } from './feedDraft.ts';
import { checkDraft, emptyDraft, KIND_LABEL, mappingErrors } from './feedDraft.ts';
import { MappingEditor } from './MappingEditor.tsx';

export interface FeedFormProps {
  initial: FeedDraft;
  /** Editing a saved feed: id and kind are fixed (another id is another feed). */
  editing: boolean;
  entry: FeedEntry | undefined;
  running: boolean;
  onSaved: (entries: FeedEntry[]) => void;
  onEntries: (entries: FeedEntry[]) => void;
  onClose: () => void;
}

export function FeedForm({ initial, editing, entry, running, onSaved, onEntries, onClose }: FeedFormProps) {
  const { api } = useApp();
  const [draft, setDraft] = useState<FeedDraft>(initial);
  const [password, setPassword] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const check = checkDraft(draft);
  const errors: FieldErrors = tried && !check.ok ? check.errors : {};
  const set = <K extends keyof FeedDraft>(k: K, v: FeedDraft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const passwordSet = entry?.secretsSet.password === true;

  const changeKind = (kind: FeedKind) => {
    const fresh = emptyDraft(kind);
    setDraft((d) => ({ ...fresh, id: d.id, enabled: d.enabled, source: d.source, symbols: d.symbols }));
  };

  const save = async () => {
    setTried(true);
    setServerError(null);
    const c = checkDraft(password !== '' && draft.kind === 'fix' ? { ...draft, usePassword: true } : draft);
    if (!c.ok) return;
    setBusy(true);
    try {
      let entries = await api.call('feeds.save', { config: c.config });
      if (c.config.kind === 'fix' && password !== '') {
        onEntries(entries);
        entries = await api.call('feeds.setSecret', { id: c.config.id, name: 'password', value: password });
      }
      // The value is gone from the page once it is stored; only "password set" remains.
      setPassword('');
      onSaved(entries);
    } catch (err) {
      setServerError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const clearPassword = async () => {
    if (!entry) return;
    setBusy(true);
    setServerError(null);
    try {
      onEntries(await api.call('feeds.setSecret', { id: entry.config.id, name: 'password', value: null }));
    } catch (err) {
      setServerError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const field = (key: keyof FeedDraft & string, label: string, input: ReactNode, hint?: string) => (
    <label className={errors[key] ? 'invalid' : ''}>
      <span>{label}</span>
      {input}
      {errors[key] ? (
        <span className="form-error">{errors[key]}</span>
      ) : (
        hint && <span className="hint">{hint}</span>
      )}
    </label>
  );
  const text = (key: keyof FeedDraft & string, placeholder = '', type = 'text') => (
    <input
      type={type}
      value={String(draft[key])}
      placeholder={placeholder}
      onChange={(e) => set(key, e.target.value as never)}
      spellCheck={false}
      data-testid={`feed-form-${key}`}
    />
  );
  const check_ = (key: 'enabled' | 'usePassword' | 'resetOnLogon', label: string) => (
    <label className="check">
      <input
        type="checkbox"
        checked={draft[key]}
        onChange={(e) => set(key, e.target.checked)}
        data-testid={`feed-form-${key}`}
      />
      <span>{label}</span>
    </label>
  );

  const k = draft.kind;
  const otherErrors = Object.entries(errors).filter(
    ([key]) => !key.startsWith('mapping.') && !FORM_KEYS.has(key),
  );

  return (
    <form
      className="feed-form"
      data-testid="feed-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className="panel-head">
        <h2>{editing ? `Edit feed ${initial.id}` : 'Add a feed'}</h2>
        {editing && running && <span className="muted small">saving restarts it with the new settings</span>}
      </div>
      <div className={`feed-form-body ${k === 'ws-json' ? 'with-mapping' : ''}`}>
        <div className="settings-form wide-form">
          <label>
            <span>Kind</span>
            <select
              value={k}
              disabled={editing}
              onChange={(e) => changeKind(e.target.value as FeedKind)}
              data-testid="feed-form-kind"
            >
              {FEED_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {KIND_LABEL[kind]}
                </option>
              ))}
            </select>
          </label>
          {field(
            'id',
            'Feed id',
            <input
              value={draft.id}
              disabled={editing}
              placeholder="e.g. binance-spot"
              onChange={(e) => set('id', e.target.value)}
              spellCheck={false}
              data-testid="feed-form-id"
            />,
            'lowercase letters, digits, _ and -',
          )}
          {check_('enabled', 'Enabled (runs when recording starts)')}
          {field(
            'source',
            'Source',
            text('source', 'default for the kind'),
            'the name stored with every tick',
          )}
          {k !== 'demo' &&
            field('symbols', 'Symbols', text('symbols', 'BTCUSDT, ETHUSDT'), 'separated by commas or spaces')}
          {k === 'demo' && (
            <>
              {field('symbolCount', 'Symbol count', text('symbolCount', '8'), 'the demo quotes its own list')}
              {field('ratePerSec', 'Rate (ticks/s)', text('ratePerSec', '200'))}
            </>
          )}
          {(k === 'binance' || k === 'coinbase') &&
            field(
              'url',
              'URL',
              text(
                'url',
                k === 'coinbase'
                  ? DEFAULT_FEED_URLS.coinbase
                  : draft.market === 'futures'
                    ? DEFAULT_FEED_URLS.binanceFutures
                    : DEFAULT_FEED_URLS.binanceSpot,
              ),
              'empty: the exchange',
            )}
          {k === 'binance' && (
            <>
              {field(
                'market',
                'Market',
                <select
                  value={draft.market}
                  onChange={(e) => set('market', e.target.value as FeedDraft['market'])}
                  data-testid="feed-form-market"
                >
                  <option value="spot">spot</option>
                  <option value="futures">futures (USDⓈ-M)</option>
                </select>,
              )}
              {field(
                'streams',
                'Streams',
                <select
                  value={draft.streams}
                  onChange={(e) => set('streams', e.target.value as FeedDraft['streams'])}
                  data-testid="feed-form-streams"
                >
                  <option value="combined">combined (/stream?streams=…)</option>
                  <option value="raw">raw (/ws/…)</option>
                </select>,
              )}
            </>
          )}
          {k === 'ws-json' && (
            <>
              {field('url', 'URL', text('url', 'wss://example.com/quotes'))}
              {field(
                'subscribe',
                'Subscribe messages',
                <textarea
                  className="mono"
                  rows={2}
                  value={draft.subscribe}
                  placeholder='{"op":"subscribe","channel":"quotes"}'
                  onChange={(e) => set('subscribe', e.target.value)}
                  spellCheck={false}
                  data-testid="feed-form-subscribe"
                />,
                'one per line, sent after every (re)connect',
              )}
            </>
          )}
          {k === 'fix' && (
            <>
              {field('host', 'Host', text('host', 'fix.example.com'))}
              {field('port', 'Port', text('port', '9876'))}
              {field('senderCompId', 'SenderCompID', text('senderCompId'))}
              {field('targetCompId', 'TargetCompID', text('targetCompId'))}
              {field('username', 'Username', text('username', 'optional'))}
              <PasswordField
                value={password}
                onChange={setPassword}
                isSet={passwordSet}
                canClear={editing && passwordSet}
                busy={busy}
                onClear={() => void clearPassword()}
              />
              {check_('usePassword', 'Send the password on Logon')}
              {field('heartbeatSec', 'Heartbeat (s)', text('heartbeatSec', '30'))}
              {check_('resetOnLogon', 'Reset sequence numbers on Logon (ResetSeqNumFlag=Y)')}
            </>
          )}
        </div>
        {k === 'ws-json' && (
          <MappingEditor
            mapping={draft.mapping}
            onChange={(m) => set('mapping', m)}
            errors={mappingErrors(errors)}
            feedId={editing ? initial.id : null}
            feedRunning={running}
          />
        )}
      </div>
      {otherErrors.length > 0 && (
        <ul className="form-errors">
          {otherErrors.map(([key, msg]) => (
            <li key={key} className="form-error">
              {msg}
            </li>
          ))}
        </ul>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy} data-testid="feed-form-save">
          {busy ? 'Saving…' : editing ? 'Save' : 'Add feed'}
        </button>
        <button type="button" onClick={onClose} disabled={busy} data-testid="feed-form-cancel">
          Cancel
        </button>
        {tried && !check.ok && (
          <span className="form-error" data-testid="feed-form-invalid">
            {Object.keys(check.errors).length} field(s) need attention
          </span>
        )}
        {serverError && (
          <span className="form-error" role="alert" data-testid="feed-form-server-error">
            {serverError}
          </span>
        )}
      </div>
    </form>
  );
}

/** Fields with their own place in the form; other errors are listed under it. */
const FORM_KEYS = new Set([
  'kind',
  'id',
  'enabled',
  'source',
  'symbols',
  'symbolCount',
  'ratePerSec',
  'url',
  'market',
  'streams',
  'subscribe',
  'host',
  'port',
  'senderCompId',
  'targetCompId',
  'username',
  'heartbeatSec',
]);

/** Write-only: the typed value is sent once and never shown or read back. */
function PasswordField({
  value,
  onChange,
  isSet,
  canClear,
  busy,
  onClear,
}: {
  value: string;
  onChange: (v: string) => void;
  isSet: boolean;
  canClear: boolean;
  busy: boolean;
  onClear: () => void;
}) {
  return (
    <label>
      <span>Password</span>
      <span className="secret-field">
        <input
          type="password"
          value={value}
          autoComplete="new-password"
          placeholder={isSet ? 'type to replace' : 'not set'}
          onChange={(e) => onChange(e.target.value)}
          data-testid="feed-secret-password"
        />
        {isSet && (
          <span className="form-ok small" data-testid="feed-secret-set">
            password set
          </span>
        )}
        {canClear && (
          <button type="button" disabled={busy} onClick={onClear} data-testid="feed-secret-clear">
            clear
          </button>
        )}
      </span>
      <span className="hint">stored in the secret store on save; never shown again</span>
    </label>
  );
}
