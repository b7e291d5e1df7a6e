// Feed secrets at rest in the desktop app are sealed by Electron's safeStorage (the OS keychain:
// Keychain, DPAPI, libsecret/kwallet). Where it offers no real encryption (Linux without a
// keyring falls back to a hard-coded key, `basic_text`), secrets are refused rather than stored
// as if they were protected; the environment can still supply them.
import type { SafeStorage } from 'electron';
import type { SecretCodec } from '../app/secretFile.ts';

export type ShellSafeStorage = Pick<
  SafeStorage,
  'isEncryptionAvailable' | 'encryptString' | 'decryptString'
> & {
  /** Linux only (Electron ≥ 16). */
  getSelectedStorageBackend?: SafeStorage['getSelectedStorageBackend'];
};

export function safeStorageCodec(safe: ShellSafeStorage, platform: string): SecretCodec {
  return {
    name: 'the system keychain (Electron safeStorage)',
    available() {
      if (!safe.isEncryptionAvailable()) return false;
      if (platform === 'linux' && safe.getSelectedStorageBackend?.() === 'basic_text') return false;
      return true;
    },
    seal: (plain) => safe.encryptString(plain).toString('base64'),
    open: (sealed) => safe.decryptString(Buffer.from(sealed, 'base64')),
  };
}
