// What the export worker hands its stream-read worker, and what comes back over the port.
import type { MessagePort } from 'node:worker_threads';
import type { StreamPage, StreamSelection } from '../stream/streamTypes.ts';

/**
 * Shared Int32 slots: how many pages were posted and taken, a stop request from the consumer,
 * and an end flag the reader sets when it has posted its last message (page, end or error).
 */
export const POSTED = 0;
export const TAKEN = 1;
export const STOP = 2;
export const FINISHED = 3;
export const SIGNAL_SLOTS = 4;

export interface StreamReadWorkerData {
  sqliteDir: string;
  selection: StreamSelection;
  pageTicks: number;
  /** Pages read ahead of the consumer at most (bounded memory). */
  depth: number;
  port: MessagePort;
  signal: SharedArrayBuffer;
}

export type StreamReadMessage = { type: 'page'; page: StreamPage } | { type: 'error'; message: string };
