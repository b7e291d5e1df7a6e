// `--help` of a command, printed from its option table: every option with its default, the
// environment it reads and its exit codes.
import type { OptionTable } from './optionTable.ts';
import { defaultShown } from './optionTable.ts';

export interface CommandSpec<T extends OptionTable = OptionTable> {
  /** As typed after `npm run` and after `tickscope`: `record`. */
  name: string;
  /** What follows the command in the usage line: `--data-dir DIR [options]`. */
  synopsis: string;
  /** What the command does, in a sentence or two. */
  summary: string;
  options: T;
  /** Variables the command reads, with what each does; empty when it reads none. */
  environment: ReadonlyArray<readonly [string, string]>;
  exitCodes: ReadonlyArray<readonly [number, string]>;
  /** Further paragraphs (signals, what goes where). */
  notes?: readonly string[];
}

const WIDTH = 100;
const OPTION_COLUMN = 30;
/** Joins words that must stay on one line, like `(default: 0)`. */
const NO_BREAK = '\u00a0';

/** Words of `textBody` in lines of at most WIDTH, the first after `head`, the rest under it. */
function hanging(head: string, textBody: string, column: number): string {
  const pad = ' '.repeat(column);
  const lines: string[] = [];
  // A head as wide as the column (a long option) gets the text on the next line.
  let line = head !== '' && head.length >= column ? `${head}\n${pad}` : head.padEnd(column);
  let lineLength = line.includes('\n') ? column : line.length;
  let empty = true;
  for (const word of textBody.split(/[ \t\n]+/).filter((w) => w !== '')) {
    if (!empty && lineLength + 1 + word.length > WIDTH) {
      lines.push(line);
      line = pad;
      lineLength = column;
      empty = true;
    }
    line += `${empty ? '' : ' '}${word}`;
    lineLength += (empty ? 0 : 1) + word.length;
    empty = false;
  }
  lines.push(line);
  return lines.join('\n').replaceAll(NO_BREAK, ' ');
}

function optionHead(key: string, o: OptionTable[string]): string {
  const names = o.short ? `-${o.short}, --${key}` : `    --${key}`;
  if (o.arg === null) return `  ${names}`;
  return `  ${names} ${o.bare !== undefined ? `[${o.arg}]` : o.arg}`;
}

/** The two ways to run a command, as the first lines of its help and of a usage error. */
export function usageLines(spec: CommandSpec): string {
  return [
    `Usage: npm run ${spec.name} -- ${spec.synopsis}`,
    `       tickscope ${spec.name} ${spec.synopsis}`,
  ].join('\n');
}

export function formatHelp(spec: CommandSpec): string {
  const out = [usageLines(spec), '', hanging('', spec.summary, 0), '', 'Options:'];
  for (const [key, o] of Object.entries(spec.options)) {
    const body = o.arg === null ? o.help : `${o.help} (default:${NO_BREAK}${defaultShown(o)})`;
    out.push(hanging(optionHead(key, o), body, OPTION_COLUMN));
  }
  out.push('', 'Environment:');
  if (spec.environment.length === 0) out.push('  none');
  for (const [name, what] of spec.environment) out.push(hanging(`  ${name}`, what, OPTION_COLUMN));
  out.push('', 'Exit codes:');
  for (const [code, what] of spec.exitCodes) out.push(hanging(`  ${code}`, what, 6));
  for (const note of spec.notes ?? []) out.push('', hanging('', note, 0));
  return `${out.join('\n')}\n`;
}

/** What a usage error prints: the problem, then how the command is run and where to read more. */
export function formatUsageError(spec: CommandSpec, message: string): string {
  return `${spec.name}: ${message}\n\n${usageLines(spec)}\n(--help lists every option with its default, the environment and the exit codes)\n`;
}
