// The typed-array columns of a stream page, in one list for transferring them between threads.
import type { StreamColumns } from './streamTypes.ts';

export const STREAM_ARRAYS = [
  'symbol',
  'source',
  'tsUs',
  'bid',
  'ask',
  'bidSize',
  'askSize',
  'recvUs',
  'seq',
  'noExchangeTime',
] as const satisfies readonly (keyof StreamColumns)[];
