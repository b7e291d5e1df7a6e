// Entry point of the JSON -> SQLite migration wizard; the migration work fills it in.
import type { TickscopeApi } from '../../shared/ipc/contract.ts';

export function MigrationWizard(_props: { api: TickscopeApi }) {
  return <section className="empty-state">The migration wizard is not available in this build yet.</section>;
}
