// The `?` overlay: every shortcut registered right now, grouped, so what it lists is what works.
import { keyLabel, useShortcutList } from './keyboard.ts';
import './app.css';

export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  const groups = useShortcutList();
  return (
    <div className="shortcut-overlay" onClick={onClose}>
      <div
        className="shortcut-help panel"
        role="dialog"
        aria-modal="true"
        aria-label="Keyboard shortcuts"
        data-testid="shortcut-help"
        onClick={(e) => e.stopPropagation()}
      >
        <div className="panel-head">
          <h2>Keyboard shortcuts</h2>
          <button type="button" onClick={onClose} data-testid="shortcut-help-close">
            Close
          </button>
        </div>
        <p className="muted small">Shortcuts do not apply while you type in a field (Esc still does).</p>
        {groups.map((g) => (
          <section key={g.group} className="shortcut-group">
            <h3>{g.group}</h3>
            <dl>
              {g.shortcuts.map((s) => (
                <div key={`${s.keys.join(' ')}|${s.description}`} className="shortcut-row">
                  <dt>
                    {s.keys.map((k) => (
                      <kbd key={k}>{keyLabel(k)}</kbd>
                    ))}
                  </dt>
                  <dd>{s.description}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </div>
  );
}
