// Worker entry: owns every write connection. All SQLite and file writes of the recorder happen here.
import { parentPort } from 'node:worker_threads';
import type { FromWriter, ToWriter } from './protocol.ts';
import { TickWriter } from './tickWriter.ts';

const port = parentPort!;
const writer = new TickWriter((m: FromWriter) => port.postMessage(m));
port.on('message', (m: ToWriter) => writer.receive(m));
