// Retention by hand: keep days and a size budget, a dry run listing the days that would go, and
// an inline confirmation before the same policy deletes them. Today is never deleted.
import { useState } from 'react';
import type { RetentionPlan, RetentionPolicy } from '../../shared/archive.ts';
import { errorText, useApp } from '../app/hooks.ts';
import { formatBytes, formatCount } from '../format/number.ts';
import type { RetentionDraft } from './retentionDraft.ts';
import { policyFrom, retentionDraftFrom } from './retentionDraft.ts';
import { SIZE_UNITS } from './sizeInput.ts';
import type { SizeUnit } from './sizeInput.ts';

export function RetentionPanel({
  retentionDays,
  retentionMaxBytes,
  onDeleted,
}: {
  /** The settings the fields start from. */
  retentionDays: number | null;
  retentionMaxBytes: number | null;
  onDeleted: () => void;
}) {
  const { api } = useApp();
  const [draft, setDraft] = useState(() => retentionDraftFrom(retentionDays, retentionMaxBytes));
  // The preview with the policy it was made for: Apply sends exactly that policy.
  const [preview, setPreview] = useState<{ policy: RetentionPolicy; plan: RetentionPlan } | null>(null);
  const [deleted, setDeleted] = useState<RetentionPlan | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [working, setWorking] = useState<'preview' | 'apply' | null>(null);
  const busy = working !== null;
  const [error, setError] = useState<string | null>(null);

  const edit = (patch: Partial<RetentionDraft>) => {
    setDraft({ ...draft, ...patch });
    // A preview of other limits must not be applied.
    setPreview(null);
    setConfirming(false);
  };
  const runPreview = async () => {
    const built = policyFrom(draft);
    setDeleted(null);
    setConfirming(false);
    if ('error' in built) {
      setError(built.error);
      setPreview(null);
      return;
    }
    setWorking('preview');
    setError(null);
    try {
      setPreview({ policy: built.policy, plan: await api.call('storage.retentionPreview', built.policy) });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setWorking(null);
    }
  };
  const apply = async (policy: RetentionPolicy) => {
    setConfirming(false);
    setWorking('apply');
    setError(null);
    try {
      setDeleted(await api.call('storage.retentionApply', policy));
      setPreview(null);
      onDeleted();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setWorking(null);
    }
  };

  const plan = preview?.plan;
  return (
    <div className="retention-panel">
      <h2>Retention</h2>
      <p className="muted small">
        Deletes whole day files, oldest first: those older than the days kept, then more until the rest fit
        the size budget. <strong>Today&apos;s file is never deleted.</strong> Empty fields mean no limit of
        that kind.
      </p>
      <form
        className="retention-form"
        onSubmit={(e) => {
          e.preventDefault();
          void runPreview();
        }}
      >
        <label>
          <span>Keep days</span>
          <input
            type="text"
            inputMode="numeric"
            className="mono"
            value={draft.keepDays}
            placeholder="no age limit"
            onChange={(e) => edit({ keepDays: e.target.value })}
            data-testid="retention-keep-days"
          />
          <span className="muted small">days before today (today is always kept)</span>
        </label>
        <label>
          <span>Size budget</span>
          <input
            type="text"
            inputMode="decimal"
            className="mono"
            value={draft.maxSize}
            placeholder="no budget"
            onChange={(e) => edit({ maxSize: e.target.value })}
            data-testid="retention-max-size"
          />
          <select
            value={draft.unit}
            onChange={(e) => edit({ unit: e.target.value as SizeUnit })}
            aria-label="Size budget unit"
            data-testid="retention-unit"
          >
            {SIZE_UNITS.map((u) => (
              <option key={u} value={u}>
                {u}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={busy} data-testid="retention-preview">
          {working === 'preview' ? 'Previewing…' : 'Preview'}
        </button>
      </form>
      {error && <p className="form-error">{error}</p>}
      {plan && (
        <PlanTable
          plan={plan}
          testId="retention-plan"
          title="Would be deleted (dry run, nothing deleted yet)"
        />
      )}
      {preview && plan && plan.days.length > 0 && !confirming && (
        <button
          type="button"
          className="danger"
          disabled={busy}
          onClick={() => setConfirming(true)}
          data-testid="retention-apply"
        >
          Delete these days
        </button>
      )}
      {working === 'apply' && (
        <p className="muted" role="status">
          Deleting…
        </p>
      )}
      {preview && plan && confirming && (
        <div
          className="retention-confirm"
          role="alertdialog"
          aria-label="Delete these days?"
          data-testid="retention-confirm"
        >
          <p>
            <strong>
              Delete {plan.days.length} {plan.days.length === 1 ? 'day' : 'days'} ({formatBytes(plan.bytes)},{' '}
              {formatCount(plan.ticks)} ticks) for good?
            </strong>{' '}
            Their ticks cannot be brought back. Days that changed since the preview are decided again when
            this runs; today is never deleted.
          </p>
          <button
            type="button"
            className="danger"
            onClick={() => void apply(preview.policy)}
            data-testid="retention-confirm-accept"
          >
            Delete
          </button>{' '}
          <button type="button" onClick={() => setConfirming(false)} data-testid="retention-confirm-cancel">
            Cancel
          </button>
        </div>
      )}
      {deleted && <PlanTable plan={deleted} testId="retention-result" title="Deleted" />}
    </div>
  );
}

function PlanTable({ plan, testId, title }: { plan: RetentionPlan; testId: string; title: string }) {
  return (
    <div className="retention-plan" data-testid={testId} data-days={plan.days.length}>
      <h3>
        {title}: {plan.days.length} {plan.days.length === 1 ? 'day' : 'days'}, {formatBytes(plan.bytes)},{' '}
        {formatCount(plan.ticks)} ticks; {formatBytes(plan.keptBytes)} kept
      </h3>
      {plan.note && (
        <p className="retention-note" data-testid={`${testId}-note`}>
          {plan.note}
        </p>
      )}
      {plan.days.length === 0 ? (
        <p className="muted">No day goes under these limits.</p>
      ) : (
        <table className="grid">
          <thead>
            <tr>
              <th>Day (UTC)</th>
              <th>Tier</th>
              <th className="num">Size</th>
              <th className="num">Ticks</th>
              <th>Why</th>
            </tr>
          </thead>
          <tbody>
            {plan.days.map((d) => (
              <tr key={d.day} data-testid={`${testId}-day-${d.day}`} data-reason={d.reason}>
                <td className="mono">{d.day}</td>
                <td>
                  <span className={`tier-badge tier-${d.tier}`}>{d.tier}</span>
                </td>
                <td className="num mono">{formatBytes(d.bytes)}</td>
                <td className="num mono">{formatCount(d.ticks)}</td>
                <td>{d.reason === 'age' ? 'older than the days kept' : 'over the size budget'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
