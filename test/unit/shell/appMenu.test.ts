// The application menu has no developer tools and no reload, and its Quit is the flushed quit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MenuItemConstructorOptions } from 'electron';
import { appMenuTemplate } from '../../../electron/shell/appMenu.ts';

function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? items(i.submenu) : [])]);
}

for (const platform of ['darwin', 'linux', 'win32']) {
  test(`${platform}: no developer tools, reload or view-source in the menu; Quit and Show call the shell`, () => {
    const did: string[] = [];
    const all = items(
      appMenuTemplate(platform, { show: () => did.push('show'), quit: () => did.push('quit') }),
    );
    const roles = all.map((i) => i.role).filter(Boolean);
    for (const banned of ['toggleDevTools', 'reload', 'forceReload', 'viewMenu', 'fileMenu', 'windowMenu']) {
      assert.equal(roles.includes(banned as never), false, `${banned} is in the ${platform} menu`);
    }
    assert.ok(roles.includes('copy') && roles.includes('paste'), 'copy and paste are kept');
    const quit = all.find((i) => i.accelerator === 'CmdOrCtrl+Q');
    assert.ok(quit, 'no Quit item');
    assert.equal(quit.role, undefined, 'Quit is ours (flushed), not the role');
    (quit.click as () => void)();
    (all.find((i) => i.label === 'Show Tickscope')?.click as () => void)();
    assert.deepEqual(did, ['quit', 'show']);
    assert.equal(all[0].label, platform === 'darwin' ? 'Tickscope' : 'File');
  });
}
