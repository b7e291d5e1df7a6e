// Entry point of the JSON -> SQLite migration wizard; the migration work fills it in.
export function MigrationWizard() {
  return <section className="empty-state">The migration wizard is not available in this build yet.</section>;
}
