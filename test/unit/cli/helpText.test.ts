// Every command's --help comes from the same table as its parser: these tests make sure each
// option the parser accepts is listed with the default it really uses, with the environment and
// the exit codes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatHelp, formatUsageError } from '../../../electron/cli/helpText.ts';
import type { CommandSpec } from '../../../electron/cli/helpText.ts';
import { defaultShown, parseOptions } from '../../../electron/cli/optionTable.ts';
import type { OptionTable } from '../../../electron/cli/optionTable.ts';
import { COMPACT_COMMAND } from '../../../electron/cli/compactArgs.ts';
import { RECORD_COMMAND } from '../../../electron/cli/recordArgs.ts';
import { MIGRATE_COMMAND, MIGRATE_USAGE } from '../../../electron/cli/migrateCliArgs.ts';
import { SERVE_COMMAND, USAGE } from '../../../electron/cli/serveArgs.ts';

const COMMANDS: Array<[CommandSpec<OptionTable>, string[]]> = [
  [RECORD_COMMAND, ['TICK_DATA_DIR', 'TICK_STORAGE_BACKEND', 'BROKER_ID']],
  [SERVE_COMMAND, ['TICK_DATA_DIR', 'TICK_STORAGE_BACKEND', 'BROKER_ID']],
  [MIGRATE_COMMAND, []],
  [COMPACT_COMMAND, ['TICK_DATA_DIR', 'TICK_STORAGE_BACKEND']],
];

/** The help as one line per option: wrapping is undone so a default split over lines still matches. */
function unwrapped(help: string): string {
  return help.replace(/\n {30}/g, ' ');
}

for (const [spec, envVars] of COMMANDS) {
  const help = formatHelp(spec);

  test(`${spec.name} --help lists every option the parser accepts, with its default`, () => {
    const lines = unwrapped(help).split('\n');
    for (const [key, o] of Object.entries(spec.options)) {
      const line = lines.find((l) => new RegExp(`^  (-\\w, )? *--${key}\\b`).test(l));
      assert.ok(line, `--${key} is not in the help of ${spec.name}`);
      if (o.arg !== null) {
        assert.ok(line.includes(o.arg), `--${key} shows its value ${o.arg}: ${line}`);
        assert.ok(line.includes(`(default: ${defaultShown(o)})`), `--${key} shows its default: ${line}`);
      }
      if (o.short) assert.ok(line.includes(`-${o.short}, --${key}`), line);
    }
  });

  test(`${spec.name}: the defaults the help shows are the ones the parser uses`, () => {
    const parsed = parseOptions(spec.options, []) as Record<string, unknown>;
    for (const [key, o] of Object.entries(spec.options)) {
      assert.deepEqual(parsed[key], o.default, `--${key}`);
      // A default without its own words must read as the value itself.
      if (o.arg !== null && o.defaultText === undefined) assert.equal(defaultShown(o), String(parsed[key]));
    }
  });

  test(`${spec.name} --help lists no option the parser would refuse`, () => {
    const listed = [...unwrapped(help).matchAll(/^ {2}(?:-\w, | {4})--([a-z-]+)/gm)].map((m) => m[1]);
    assert.deepEqual(listed.sort(), Object.keys(spec.options).sort());
  });

  test(`${spec.name} --help names the environment it reads and every exit code`, () => {
    const env = help.slice(help.indexOf('\nEnvironment:\n'), help.indexOf('\nExit codes:\n'));
    for (const v of envVars) assert.match(env, new RegExp(`^  ${v} `, 'm'), v);
    if (envVars.length === 0) assert.match(env, /^ {2}none$/m);
    const codes = help.slice(help.indexOf('\nExit codes:\n'));
    for (const code of [0, 1, 2, 3]) assert.match(codes, new RegExp(`^  ${code} `, 'm'), `exit code ${code}`);
    assert.ok(
      help.split('\n').every((l) => l.length <= 100),
      'lines fit in 100 columns',
    );
  });

  test(`${spec.name}: a usage error names the problem, then the usage and where to read more`, () => {
    const text = formatUsageError(spec, '--x is wrong');
    assert.match(text, new RegExp(`^${spec.name}: --x is wrong\\n\\nUsage: npm run ${spec.name} -- `));
    assert.match(text, new RegExp(`tickscope ${spec.name} `));
    assert.match(text, /--help lists every option/);
  });
}

test('serve and migrate export their help as it is printed', () => {
  assert.equal(USAGE, formatHelp(SERVE_COMMAND));
  assert.equal(MIGRATE_USAGE, formatHelp(MIGRATE_COMMAND));
});
