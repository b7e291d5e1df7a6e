// Runs first in every npm script that loads TypeScript (and first in the `tickscope` command):
// on a Node older than 24 it prints the one sentence that says what to install, and exits 3 (a
// run-time failure, as in exitCodes.ts) before any `.ts` file is loaded.
import { nodeVersionProblem } from './nodeVersion.mjs';

const problem = nodeVersionProblem(process.versions.node, process.execPath);
if (problem !== null) {
  process.stderr.write(`${problem}\n`);
  process.exit(3);
}
