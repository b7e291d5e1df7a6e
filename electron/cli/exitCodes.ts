// The exit codes every Tickscope command uses, so a service manager or a script can tell a run
// that went fine from one that finished with something to look at, a typo and a failure.

export const EXIT = {
  /** Everything asked for was done; every accepted tick is durable. */
  ok: 0,
  /** Finished, but something was not right (ticks lost or left pending, files skipped as bad). */
  notClean: 1,
  /** The command line (or the environment) was wrong: message and usage on stderr. */
  usage: 2,
  /** The run itself failed (a folder that cannot be opened, a disk error): message on stderr. */
  failure: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
