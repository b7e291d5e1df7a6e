import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KeyEventLike } from '../../../renderer/app/keyboard.ts';
import { ShortcutRegistry, isTypingTarget, keyLabel } from '../../../renderer/app/keyboard.ts';

function press(key: string, over: Partial<KeyEventLike> = {}): KeyEventLike & { prevented: boolean } {
  const e = {
    key,
    ctrlKey: false,
    altKey: false,
    metaKey: false,
    defaultPrevented: false,
    target: { tagName: 'BODY' },
    prevented: false,
    preventDefault() {
      e.prevented = true;
    },
    ...over,
  };
  return e;
}

test('a registered key runs its handler and is consumed; other keys pass through', () => {
  const r = new ShortcutRegistry();
  const got: string[] = [];
  r.register({ keys: ['1', '2'], description: 'Switch tab', group: 'Tabs' }, (e) => got.push(e.key));
  const one = press('2');
  assert.equal(r.dispatch(one), true);
  assert.equal(one.prevented, true);
  const other = press('x');
  assert.equal(r.dispatch(other), false);
  assert.equal(other.prevented, false, 'keys nobody handles keep their default');
  assert.deepEqual(got, ['2']);
});

test('typing in a field is not a shortcut, except Escape; modified keys belong to the browser', () => {
  const r = new ShortcutRegistry();
  const got: string[] = [];
  r.register({ keys: ['1', 'Escape'], description: 'x', group: 'g' }, (e) => got.push(e.key));
  for (const tagName of ['INPUT', 'select', 'TEXTAREA']) {
    assert.equal(r.dispatch(press('1', { target: { tagName } })), false, tagName);
  }
  assert.equal(r.dispatch(press('1', { target: { tagName: 'DIV', isContentEditable: true } })), false);
  assert.equal(r.dispatch(press('Escape', { target: { tagName: 'INPUT' } })), true);
  assert.equal(r.dispatch(press('1', { ctrlKey: true })), false);
  assert.equal(r.dispatch(press('1', { metaKey: true })), false);
  assert.equal(r.dispatch(press('1', { altKey: true })), false);
  assert.equal(r.dispatch(press('1', { defaultPrevented: true })), false, 'a component handled it itself');
  assert.deepEqual(got, ['Escape']);
  assert.equal(isTypingTarget(null), false);
  assert.equal(isTypingTarget({ tagName: 'BUTTON' }), false);
});

test('the latest enabled registration of a key wins; unregistering restores the earlier one', () => {
  const r = new ShortcutRegistry();
  const got: string[] = [];
  r.register({ keys: ['Escape'], description: 'leave fullscreen', group: 'Chart' }, () => got.push('chart'));
  const off = r.register({ keys: ['Escape'], description: 'close help', group: 'Help' }, () =>
    got.push('help'),
  );
  r.register({ keys: ['Escape'], description: 'disabled', group: 'Help', enabled: false }, () =>
    got.push('never'),
  );
  r.dispatch(press('Escape'));
  off();
  r.dispatch(press('Escape'));
  assert.deepEqual(got, ['help', 'chart']);
});

test('the list groups every registered shortcut once, in registration order, and notifies on change', () => {
  const r = new ShortcutRegistry();
  let changes = 0;
  r.subscribe(() => changes++);
  const before = r.list();
  r.register({ keys: ['+'], description: 'Zoom in', group: 'Chart' }, () => {});
  r.register({ keys: ['?'], description: 'Show shortcuts', group: 'Help' }, () => {});
  // Two mounted charts register the same shortcut.
  const off = r.register({ keys: ['+'], description: 'Zoom in', group: 'Chart' }, () => {});
  r.register({ keys: ['-'], description: 'Zoom out', group: 'Chart', enabled: false }, () => {});
  assert.equal(changes, 4);
  assert.notEqual(r.list(), before, 'a new list object, so React re-renders');
  assert.deepEqual(r.list(), [
    {
      group: 'Chart',
      shortcuts: [
        { keys: ['+'], description: 'Zoom in' },
        { keys: ['-'], description: 'Zoom out' },
      ],
    },
    { group: 'Help', shortcuts: [{ keys: ['?'], description: 'Show shortcuts' }] },
  ]);
  const same = r.list();
  assert.equal(r.list(), same, 'the same object while nothing changes (a stable snapshot)');
  off();
  assert.equal(r.list()[0].shortcuts.length, 2, 'still registered once');
  assert.equal(keyLabel('ArrowLeft'), '←');
  assert.equal(keyLabel('Home'), 'Home');
});
