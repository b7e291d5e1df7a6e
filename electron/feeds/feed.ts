// A source of quote ticks that pushes into the engine.
import type { TickInput } from '../../shared/tick.ts';

export interface Feed {
  readonly id: string;
  readonly symbols: string[];
  start(sink: (t: TickInput) => void): void;
  stop(): void;
}
