// Feeds tab: every configured feed with its live status, the selected feed's symbols and
// malformed messages, the add/edit form, and the gap ledger of the last 24 hours.
import { useState } from 'react';
import type { FeedEntry } from '../../shared/ipc/feedChannels.ts';
import { Empty, ErrorPanel, Loading } from '../app/Panels.tsx';
import { errorText, useApp, useNow } from '../app/hooks.ts';
import type { FeedDraft } from './feedDraft.ts';
import { draftFromConfig, emptyDraft } from './feedDraft.ts';
import { FeedCard } from './FeedCard.tsx';
import { FeedDetail } from './FeedDetail.tsx';
import { FeedForm } from './FeedForm.tsx';
import { GapLedger } from './GapLedger.tsx';
import { useFeeds } from './useFeeds.ts';

interface EditorState {
  draft: FeedDraft;
  editing: boolean;
  /** Remounts the form when another feed is opened. */
  key: string;
}

export function FeedsView({ onGoRecording }: { onGoRecording: () => void }) {
  const { api } = useApp();
  const feeds = useFeeds();
  // Ages tick twice a second; a faster tick would redraw big symbol tables for nothing.
  const now = useNow(500);
  const [selected, setSelected] = useState<string | null>(null);
  const [editor, setEditor] = useState<EditorState | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [actionError, setActionError] = useState<{ id: string; message: string } | null>(null);

  if (feeds.entriesLoading && !feeds.entries) return <Loading label="Loading feeds…" />;
  if (!feeds.entries) return <ErrorPanel error={feeds.entriesError} onRetry={feeds.reloadEntries} />;
  const entries = feeds.entries;
  const book = feeds.book;
  const active = entries.find((e) => e.config.id === selected) ?? entries[0];

  const act = async (id: string, run: () => Promise<void>) => {
    setBusyId(id);
    setActionError(null);
    try {
      await run();
    } catch (err) {
      setActionError({ id, message: errorText(err) });
    } finally {
      setBusyId(null);
    }
  };
  const start = (id: string) =>
    act(id, async () => feeds.applyStatuses(await api.call('feeds.start', { id })));
  const stop = (id: string) => act(id, async () => feeds.applyStatuses(await api.call('feeds.stop', { id })));
  const remove = (id: string) =>
    act(id, async () => {
      feeds.setEntries(await api.call('feeds.remove', { id }));
      if (editor?.draft.id === id) setEditor(null);
    });
  const openEditor = (e: FeedEntry | null) =>
    setEditor(
      e
        ? { draft: draftFromConfig(e.config), editing: true, key: `edit-${e.config.id}` }
        : { draft: emptyDraft('binance'), editing: false, key: `new-${Date.now()}` },
    );
  const editedEntry = editor?.editing ? entries.find((e) => e.config.id === editor.draft.id) : undefined;

  return (
    <div className="feeds-layout">
      {editor && (
        <section className="panel wide feed-editor">
          <FeedForm
            key={editor.key}
            initial={editor.draft}
            editing={editor.editing}
            entry={editedEntry}
            running={editedEntry ? feeds.isRunning(editedEntry) : false}
            onEntries={feeds.setEntries}
            onSaved={(list) => {
              feeds.setEntries(list);
              setSelected(editor.draft.id || null);
              setEditor(null);
              // A feed saved while running restarts; its status follows with the next push.
            }}
            onClose={() => setEditor(null)}
          />
        </section>
      )}
      <section className="feeds-main">
        <div className="panel-head">
          <h2>Feeds</h2>
          <span className="muted small">
            {entries.length} configured · {book.running.size} running · the demo recording is also on the{' '}
            <button type="button" className="link" onClick={onGoRecording}>
              Recording tab
            </button>
          </span>
          <button type="button" className="primary" onClick={() => openEditor(null)} data-testid="feed-add">
            Add feed
          </button>
        </div>
        {entries.length === 0 ? (
          <Empty title="No feeds configured">
            Add a Binance, Coinbase, generic JSON WebSocket or FIX feed; each records under its own source.
          </Empty>
        ) : (
          <div className="feed-cards" data-testid="feed-cards">
            {entries.map((e) => {
              const id = e.config.id;
              const running = feeds.isRunning(e);
              return (
                <FeedCard
                  key={id}
                  entry={e}
                  running={running}
                  status={book.running.get(id) ?? book.last.get(id)}
                  stoppedAtMs={book.stoppedAtMs.get(id)}
                  statusAtMs={book.atMs}
                  nowMs={now}
                  selected={active?.config.id === id}
                  busy={busyId === id}
                  error={actionError?.id === id ? actionError.message : null}
                  onSelect={() => setSelected(id)}
                  onStart={() => void start(id)}
                  onStop={() => void stop(id)}
                  onEdit={() => openEditor(e)}
                  onRemove={() => void remove(id)}
                />
              );
            })}
          </div>
        )}
      </section>
      <section className="panel feed-detail-panel">
        {active ? (
          <>
            <div className="panel-head">
              <h2>{active.config.id}</h2>
              <span className="muted small">symbols and malformed messages</span>
            </div>
            <FeedDetail
              id={active.config.id}
              status={book.running.get(active.config.id) ?? book.last.get(active.config.id)}
              running={feeds.isRunning(active)}
              nowMs={now}
            />
          </>
        ) : (
          <Empty title="No feed selected" />
        )}
      </section>
      <section className="panel wide">
        <GapLedger feedIds={entries.map((e) => e.config.id)} nowMs={now} />
      </section>
    </div>
  );
}
