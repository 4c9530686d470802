/**
 * CryptoClient over a digest (`input: 'digest'`, the spelling SignOptions and the backends use):
 * a signature made over SHA-256(message) by a SoftHSM2 P-256 key verifies with node:crypto over
 * the message itself, and CryptoClient.verify agrees in both input modes.
 */
import { createHash, verify as nodeVerify } from 'node:crypto';
import { CryptoClient, SigningKeys } from '@keyplane/engine';
import type { SoftHsmToken } from '@keyplane/emulators';
import { createTestToken } from '../backends/support/pkcs11-token';
import { testRegistry, type TestRegistry } from './support';

const MESSAGE = Buffer.from('release 2.0.0');

let token: SoftHsmToken;
let reg: TestRegistry;
beforeAll(async () => {
  token = await createTestToken('kp-digest');
  reg = await testRegistry();
});
afterAll(async () => {
  await reg.dispose();
  await token.dispose();
});

it('signs a precomputed digest; the signature verifies over the message', async () => {
  await reg.keys.create('pkcs11', 'ec', {
    library: token.module,
    token_label: token.label,
    pin: token.pin,
    key_label: 'ec',
    mechanism: '0x1041',
    curve: 'P256',
    allow_generate_key: 'true',
    any_mount: 'true',
  });
  await new SigningKeys(reg.keys).create('ec-signer', { managed_key: 'ec' });
  const client = new CryptoClient(reg.keys, 'ec-signer');
  const digest = createHash('sha256').update(MESSAGE).digest();
  const { signature } = await client.sign(digest, { input: 'digest' });
  const der = Buffer.from(signature.split(':')[2] ?? '', 'base64');
  const resolved = await reg.keys.resolve('ec');
  const publicKey = await resolved.backend.getPublicKey(resolved.key);
  expect(nodeVerify('sha256', MESSAGE, publicKey, der)).toBe(true);
  await expect(client.verify(MESSAGE, signature)).resolves.toBe(true);
  await expect(client.verify(digest, signature, { input: 'digest' })).resolves.toBe(true);
  await expect(client.verify(digest, signature)).resolves.toBe(false);
});
