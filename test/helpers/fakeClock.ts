// A clock whose timers run only when the test advances it, for quit and window-state timing.
export const flushPromises = () => new Promise<void>((resolve) => setImmediate(resolve));

export type FakeClock = ReturnType<typeof fakeClock>;

export function fakeClock() {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout(fn: () => void, ms: number): unknown {
      const id = nextId++;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout(h: unknown) {
      timers.delete(h as number);
    },
    pending: () => timers.size,
    /** Moves time forward, running due timers in order and letting promises settle between. */
    async advance(ms: number) {
      const end = now + ms;
      await flushPromises();
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
        await flushPromises();
      }
      now = end;
      await flushPromises();
    },
  };
}
