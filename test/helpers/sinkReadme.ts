// The README's "ClickHouse sink" section as SQL: its CREATE blocks (the DDL, in order) and the
// statements of its query block, so tests run the documented SQL verbatim.
import fs from 'node:fs';
import path from 'node:path';

function section(): string {
  const text = fs.readFileSync(path.join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
  const start = text.indexOf('\n## ClickHouse sink\n');
  if (start < 0) throw new Error('README has no "## ClickHouse sink" section');
  const end = text.indexOf('\n## ', start + 5);
  return text.slice(start, end < 0 ? undefined : end);
}

function sqlBlocks(): string[] {
  return [...section().matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1].trim());
}

export function readmeDdl(): string[] {
  return sqlBlocks().filter((b) => b.startsWith('CREATE'));
}

/** The query block's statements, each the lines after one `--` comment. */
export function readmeQueries(): string[] {
  const block = sqlBlocks().find((b) => b.startsWith('--'));
  if (!block) throw new Error('README ClickHouse section has no query block');
  return block
    .split(/^--.*$/m)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export async function applyReadmeDdl(
  query: (sql: string, shard: number) => Promise<string>,
  shards: number,
): Promise<void> {
  for (let s = 0; s < shards; s++) for (const q of readmeDdl()) await query(q, s);
}
