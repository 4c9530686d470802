/**
 * Seal parameters are checked by the managed-key parameter rows of the same name, before any
 * backend is opened: a relative PKCS#11 `library`, an `endpoint` that is not a URL, an over-long
 * PIN (never echoed) — every problem at once, each field under `seal.`.
 */
import { openSeal, type KeyplaneError } from '@keyplane/engine';
import { rejection } from '../support/rejection';

const PIN = '97531'.repeat(300);

it('refuses a relative library and an over-long PIN together, naming seal.<parameter>', async () => {
  const e = (await rejection(
    openSeal({
      type: 'pkcs11',
      library: 'libsofthsm2.so',
      token_label: 't',
      pin: PIN,
      key_label: 'k',
    }),
  )) as unknown as KeyplaneError;
  expect(e).toMatchObject({ code: 'ERR_INVALID_ARGUMENT', field: 'seal.library' });
  expect(e.diagnostics.map((d) => d.field)).toEqual(['seal.library', 'seal.pin']);
  expect(e.message).toBe(
    'library must be an absolute path (a relative one depends on the working directory); pin is longer than 1024 characters',
  );
  expect(e.message).not.toContain('97531');
});

it('refuses an awskms endpoint that is not an http(s) URL', async () => {
  await expect(
    openSeal({ type: 'awskms', kms_key: 'alias/seal', endpoint: 'kms.example.com' }),
  ).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT', field: 'seal.endpoint' });
});
