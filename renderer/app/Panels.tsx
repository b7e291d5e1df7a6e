// The designed non-data states every view uses, so nothing ever renders as a blank area.
import type { ReactNode } from 'react';
import { errorText } from './hooks.ts';

export function Loading({ label }: { label: string }) {
  return (
    <div className="state-panel" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function ErrorPanel({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div className="state-panel error" role="alert">
      <strong>Something went wrong</strong>
      <span className="mono">{errorText(error)}</span>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state-panel empty">
      <strong>{title}</strong>
      {children && <span>{children}</span>}
    </div>
  );
}
