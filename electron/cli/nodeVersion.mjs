// Which Node can run Tickscope. Plain JavaScript on purpose: an older Node must be able to load
// this file and say what is wrong before it meets a `.ts` file, which it would refuse with
// ERR_UNKNOWN_FILE_EXTENSION, a message that names neither the cause nor the fix.

/** The Node that Electron 45 embeds; the headless commands run on the same one. */
export const REQUIRED_NODE_MAJOR = 24;

/** Where the README's recipe puts Node 24 (the npm package node@24 ships the binary). */
export const NODE24_PREFIX = '~/.cache/tickscope/node24';

/** Major version of a `process.versions.node` string ("20.20.2" or "v20.20.2"); NaN if unreadable. */
export function nodeMajor(version) {
  const m = /^v?(\d+)\./.exec(String(version));
  return m ? Number(m[1]) : Number.NaN;
}

/**
 * Null when `version` can run Tickscope; otherwise the one sentence that says what is needed,
 * what was found (and where, when `execPath` is given) and how to get the right one.
 */
export function nodeVersionProblem(version, execPath) {
  const major = nodeMajor(version);
  if (major >= REQUIRED_NODE_MAJOR) return null;
  const found = `Node.js ${String(version).replace(/^v/, '')}${execPath ? ` (${execPath})` : ''}`;
  return (
    `Tickscope needs Node.js ${REQUIRED_NODE_MAJOR} (the Node that Electron 45 embeds) but found ${found}: ` +
    `install it with \`npm install --prefix ${NODE24_PREFIX} node@${REQUIRED_NODE_MAJOR}\` and put ` +
    `${NODE24_PREFIX}/node_modules/node/bin first on PATH ` +
    `(export PATH="$HOME/.cache/tickscope/node24/node_modules/node/bin:$PATH").`
  );
}
