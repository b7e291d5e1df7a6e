#!/usr/bin/env node
// `tickscope serve|record|migrate|compact|export|quality [options]`: the package's command (its `bin`), and what the npm
// scripts `exec`, so that node is the process npm (or a service manager) signals, not a shell in
// between that would swallow SIGINT and die of SIGTERM while node records on.
// Plain JavaScript, like preflight.mjs, so that an old Node gets to the version check; the
// commands are loaded only after it, in this same process.
import './preflight.mjs';

const COMMANDS = {
  // `npm run serve` rebuilds a stale renderer first (build/scripts/ensureRenderer.ts: a build step,
  // which nothing in electron/ may import); serve itself says so when the built UI is missing.
  serve: { entry: './serve.ts', about: 'the recorder and the UI for a browser, without Electron' },
  record: { entry: './record.ts', about: 'headless recorder printing one JSON stats line per interval' },
  migrate: {
    entry: './migrate.ts',
    about: 'tick archives (JSON, Dukascopy, TrueFX, ...) into the day files',
  },
  compact: {
    entry: './compact.ts',
    about: 'closed days of the day files into the compressed archive tier',
  },
  export: {
    entry: './export.ts',
    about: 'stored ticks to Parquet, CSV, JSON Lines, legacy JSON, or OHLC bars as CSV',
  },
  quality: {
    entry: './quality.ts',
    about: "a stored day's data-quality report (gaps, bad quotes, spikes, latency) as JSON or CSV",
  },
};

const USAGE = `Usage: tickscope <command> [options]        (or: npm run <command> -- [options])

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)}${c.about}`)
  .join('\n')}

\`tickscope <command> --help\` lists its options with their defaults, the environment variables it
reads and its exit codes: 0 success, 1 finished but something was not right (ticks lost or left in
the spill journal, files skipped as bad), 2 usage error, 3 run-time failure.
`;

const [name] = process.argv.slice(2);
if (name === '--help' || name === '-h' || name === 'help') {
  process.stdout.write(USAGE);
  process.exit(0);
}
const command = Object.hasOwn(COMMANDS, name ?? '') ? COMMANDS[name] : undefined;
if (command === undefined) {
  const problem = name === undefined ? 'which command?' : `unknown command ${JSON.stringify(name)}`;
  process.stderr.write(`tickscope: ${problem}\n\n${USAGE}`);
  process.exit(2);
}

// Each command reads its options from process.argv.slice(2), as when it is run as a script.
process.argv.splice(2, 1);
await import(new URL(command.entry, import.meta.url).href);
