/**
 * A token that is not found makes the module rescan its tokens once (SoftHSM2 reads its token
 * directory only at C_Initialize and skips a token another process is rewriting): counted as
 * C_Initialize calls, and a label that really is missing is still refused the same way — once,
 * not in a loop. No session counter here: it would initialize the module first, and a module
 * this process did not initialize is never finalized under someone else.
 */
import type { SoftHsmToken } from '@keyplane/emulators';
import { Pkcs11Backend, moduleStats } from '../../src/backends/pkcs11';
import { backendConfig, createTestToken } from './support/pkcs11-token';
import { rejection } from '../support/rejection';

let token: SoftHsmToken;
beforeAll(async () => {
  token = await createTestToken('kp-rescan');
});
afterAll(async () => {
  await token.dispose();
});

it('rescans once for a missing token label, then refuses it listing the labels it found', async () => {
  const before = moduleStats(token.module).initializeCalls;
  const backend = new Pkcs11Backend(backendConfig(token, { tokenLabel: 'no-such-token' }));
  const e = await rejection(backend.generateRandom(8));
  expect(e).toMatchObject({ code: 'ERR_NOT_FOUND', field: 'token_label', allowed: ['kp-rescan'] });
  expect(moduleStats(token.module)).toEqual({ refs: 0, initializeCalls: before + 2 });
  await backend.close();
});

it('does not rescan when the token is found, nor under another backend holding the module', async () => {
  const before = moduleStats(token.module).initializeCalls;
  const found = new Pkcs11Backend(backendConfig(token));
  await expect(found.generateRandom(8)).resolves.toHaveLength(8);
  expect(moduleStats(token.module)).toEqual({ refs: 1, initializeCalls: before + 1 });
  const missing = new Pkcs11Backend(backendConfig(token, { tokenLabel: 'no-such-token' }));
  await expect(missing.generateRandom(8)).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' });
  // The first backend's session and login survived: no C_Finalize under it.
  await expect(found.generateRandom(8)).resolves.toHaveLength(8);
  expect(moduleStats(token.module)).toEqual({ refs: 1, initializeCalls: before + 1 });
  await Promise.all([missing.close(), found.close()]);
  expect(moduleStats(token.module).refs).toBe(0);
});
