// Every request channel, fed garbage: the answer is always a typed refusal, never a throw, and
// the handler never runs. Channels are enumerated from the contract, so new ones are covered.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { z } from 'zod';
import { createTickscopeService } from '../../../electron/app/tickscopeService.ts';
import type { TickscopeService } from '../../../electron/app/tickscopeService.ts';
import { REQUEST_CHANNELS, requests } from '../../../shared/ipc/contract.ts';
import type { RequestChannel } from '../../../shared/ipc/contract.ts';
import { validateRequest } from '../../../shared/ipc/validate.ts';

const T0 = Date.UTC(2024, 0, 2) * 1000;
/** A valid argument per channel, so that one bad field is the only thing wrong. */
const VALID: Partial<Record<RequestChannel, Record<string, unknown>>> = {
  'storage.setBackend': { backend: 'json' },
  'storage.updateSettings': { batchSize: 100 },
  'storage.setDataDir': { path: '/tmp/tickscope-valid' },
  'ticks.recent': { symbol: 'EURUSD', limit: 10 },
  'ticks.range': { symbol: 'EURUSD', fromUs: T0, toUs: T0 + 1e9, limit: 10 },
  'bars.get': { symbol: 'EURUSD', fromUs: T0, toUs: T0 + 1e9, timeframeSec: 60, source: 'LP-A' },
  'live.subscribe': { symbols: ['EURUSD'] },
  'recording.start': { feed: 'demo', symbols: 3, ratePerSec: 10 },
  'feeds.save': { config: { id: 'lp-1', kind: 'demo' } },
  'feeds.remove': { id: 'demo' },
  'feeds.setSecret': { id: 'demo', name: 'password', value: 'x' },
  'feeds.start': { id: 'demo' },
  'feeds.stop': { id: 'demo' },
  'feeds.lastMessages': { id: 'demo' },
  'feeds.events': { fromUs: T0, toUs: T0 + 1e9 },
};

const WHOLE_ARGUMENT_GARBAGE: unknown[] = [null, 42, 'storage', true, [], [1, 2], [{}], { unexpected: 1 }];
/** Wrong for every field type there is: nested objects, huge numbers, huge strings, arrays of arrays. */
const FIELD_GARBAGE: unknown[] = [{ nested: 1 }, 1e308, -1e308, 'x'.repeat(10_000), [[1]], '12', 'true'];

function shapeOf(channel: RequestChannel): Record<string, z.ZodType> {
  const schema = requests[channel].input as unknown as { shape?: Record<string, z.ZodType> };
  return schema.shape ?? {};
}

function cases(channel: RequestChannel): Array<{ label: string; input: unknown }> {
  const base = VALID[channel] ?? {};
  const out: Array<{ label: string; input: unknown }> = WHOLE_ARGUMENT_GARBAGE.map((g) => ({
    label: `argument ${JSON.stringify(g)}`,
    input: g,
  }));
  out.push({ label: 'extra key', input: { ...base, extraKey: 1 } });
  out.push({ label: '__proto__ key', input: JSON.parse(`{"__proto__": {"polluted": true}, "x": 1}`) });
  for (const [key, fieldSchema] of Object.entries(shapeOf(channel))) {
    for (const g of FIELD_GARBAGE) {
      // '12' and 'true' are fine where a string is expected.
      if (typeof g === 'string' && g.length < 100 && fieldSchema.safeParse(g).success) continue;
      out.push({ label: `${key}=${JSON.stringify(g).slice(0, 20)}`, input: { ...base, [key]: g } });
    }
    if (!fieldSchema.safeParse(undefined).success) {
      const rest = { ...base };
      delete rest[key];
      out.push({ label: `missing ${key}`, input: rest });
    }
  }
  return out;
}

let dir: string;
let service: TickscopeService;

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tickscope-malformed-'));
  service = await createTickscopeService({ dataDir: dir, feed: 'none', log: () => {} });
});

after(async () => {
  await service.close();
  await rm(dir, { recursive: true, force: true });
});

test('the valid arguments used as bases are valid, so each case has exactly one thing wrong', () => {
  for (const [channel, input] of Object.entries(VALID)) {
    const v = validateRequest(channel, input);
    assert.ok(v.ok, `${channel}: ${v.ok ? '' : v.error.message}`);
  }
});

for (const channel of REQUEST_CHANNELS) {
  test(`${channel}: malformed arguments are refused as invalid_argument`, async () => {
    const all = cases(channel);
    assert.ok(all.length >= WHOLE_ARGUMENT_GARBAGE.length + 2);
    for (const c of all) {
      // Channels without arguments accept {} only; every case here has something in it.
      const r = await service.dispatch(channel, c.input);
      assert.equal(r.ok, false, `${channel} accepted ${c.label}`);
      if (r.ok) continue;
      assert.equal(r.error.code, 'invalid_argument', `${channel} ${c.label}: ${r.error.message}`);
      assert.ok(r.error.message.includes(channel), `${channel} ${c.label}: message names the channel`);
      assert.ok(r.error.issues && r.error.issues.length > 0, `${channel} ${c.label}: issues listed`);
    }
  });
}

test('unknown channel names are refused as unknown_channel', async () => {
  for (const name of [
    'nope',
    '',
    'storage.stats ',
    'STORAGE.STATS',
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    'storage',
    null,
    undefined,
    42,
    {},
    ['storage.stats'],
  ]) {
    const r = await service.dispatch(name, {});
    assert.equal(r.ok, false, String(name));
    if (!r.ok) assert.equal(r.error.code, 'unknown_channel', String(name));
  }
});

test('the service still answers after all of that', async () => {
  const r = await service.dispatch('storage.health', {});
  assert.equal(r.ok, true);
});
