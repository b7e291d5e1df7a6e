// Channels of the JSON -> SQLite migration wizard (filled in by the migration work).
export const migrationRequests = {};
export const migrationEvents = {};
