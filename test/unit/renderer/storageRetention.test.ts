import { test } from 'node:test';
import assert from 'node:assert/strict';
import { policyFrom, retentionDraftFrom } from '../../../renderer/storage/retentionDraft.ts';
import { parseSize, sizeTextFrom } from '../../../renderer/storage/sizeInput.ts';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

test('sizes typed in MiB or GiB become whole bytes; empty is no limit; words are refused', () => {
  assert.equal(parseSize(' 1.5 ', 'GiB'), 1.5 * GiB);
  assert.equal(parseSize('300', 'MiB'), 300 * MiB);
  assert.equal(parseSize('0.0000001', 'MiB'), 0);
  assert.equal(parseSize('', 'GiB'), null);
  assert.equal(parseSize('1e3', 'MiB'), undefined);
  assert.equal(parseSize('-1', 'MiB'), undefined);
  assert.equal(parseSize('2GB', 'GiB'), undefined);
});

test('a size is shown in GiB from 1 GiB up, else MiB, rounded to 3 decimals', () => {
  assert.deepEqual(sizeTextFrom(null), { text: '', unit: 'GiB' });
  assert.deepEqual(sizeTextFrom(20 * GiB), { text: '20', unit: 'GiB' });
  assert.deepEqual(sizeTextFrom(GiB + GiB / 4), { text: '1.25', unit: 'GiB' });
  assert.deepEqual(sizeTextFrom(512 * MiB), { text: '512', unit: 'MiB' });
  assert.deepEqual(sizeTextFrom(MiB + 1), { text: '1', unit: 'MiB' });
});

test('the retention fields start from the settings', () => {
  assert.deepEqual(retentionDraftFrom(30, 50 * GiB), { keepDays: '30', maxSize: '50', unit: 'GiB' });
  assert.deepEqual(retentionDraftFrom(null, null), { keepDays: '', maxSize: '', unit: 'GiB' });
});

test('the fields become the policy sent, an empty one lifting that limit', () => {
  assert.deepEqual(policyFrom({ keepDays: '1', maxSize: '', unit: 'GiB' }), {
    policy: { keepDays: 1, maxBytes: null },
  });
  assert.deepEqual(policyFrom({ keepDays: '', maxSize: '2.5', unit: 'GiB' }), {
    policy: { keepDays: null, maxBytes: 2.5 * GiB },
  });
  assert.deepEqual(policyFrom({ keepDays: ' 30 ', maxSize: '700', unit: 'MiB' }), {
    policy: { keepDays: 30, maxBytes: 700 * MiB },
  });
});

test('bad fields are named, and a policy without any limit is refused', () => {
  const err = (keepDays: string, maxSize: string) => {
    const r = policyFrom({ keepDays, maxSize, unit: 'MiB' });
    return 'error' in r ? r.error : null;
  };
  assert.equal(err('0', ''), 'Keep days must be between 1 and 36500');
  assert.equal(err('1.5', ''), 'Keep days must be a whole number');
  assert.equal(err('', 'lots'), 'Size budget must be a number of MiB');
  assert.equal(err('', '0.5'), 'Size budget must be at least 1.0 MiB');
  assert.equal(err('', ''), 'Set keep days, a size budget or both: without either nothing is deleted');
});
