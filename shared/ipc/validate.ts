import type { z } from 'zod';
import { isRequestChannel, requests } from './contract.ts';
import type { RequestChannel } from './contract.ts';
import type { IpcError } from './result.ts';

export type Validated =
  { ok: true; channel: RequestChannel; input: unknown } | { ok: false; error: IpcError };

/** Validates a channel name and its argument against the contract; used by every transport. */
export function validateRequest(channel: unknown, input: unknown): Validated {
  if (!isRequestChannel(channel)) {
    return {
      ok: false,
      error: { code: 'unknown_channel', message: `unknown channel ${JSON.stringify(channel)}` },
    };
  }
  const schema = requests[channel].input as z.ZodType;
  const parsed = schema.safeParse(input === undefined ? {} : input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (i) => `${i.path.length ? i.path.join('.') : '(argument)'}: ${i.message}`,
    );
    return {
      ok: false,
      error: {
        code: 'invalid_argument',
        message: `invalid argument for ${channel}: ${issues.join('; ')}`,
        issues,
      },
    };
  }
  return { ok: true, channel, input: parsed.data };
}
