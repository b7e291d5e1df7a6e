// A source of quote ticks that pushes into the engine.
import type { TickInput } from '../../shared/tick.ts';

/**
 * The sink must not keep the tick object: feeds may reuse one object for every tick (the engine's
 * ingest copies the values), so a busy feed makes no garbage per tick.
 */
export interface Feed {
  readonly id: string;
  readonly symbols: string[];
  start(sink: (t: TickInput) => void): void;
  stop(): void;
}
