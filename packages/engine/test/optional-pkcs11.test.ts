/**
 * pkcs11js is an optional dependency: in a Node process where it cannot be resolved (as after an
 * install whose native build failed), BYOK wrapping still works and opening a pkcs11 backend is
 * a typed refusal naming the missing package — run against the built dist/ in a child process.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const DIST = resolve(__dirname, '../dist/index.js');

// Makes `pkcs11js` unresolvable, the way a failed optional install leaves it.
const HIDE_PKCS11JS = `
const Module = require('node:module');
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'pkcs11js') {
    const e = new Error("Cannot find module 'pkcs11js'");
    e.code = 'MODULE_NOT_FOUND';
    throw e;
  }
  return resolveFilename.call(this, request, ...rest);
};`;

const SCRIPT = `${HIDE_PKCS11JS}
const engine = require(${JSON.stringify(DIST)});
const key = engine.generateKeyMaterial('aes256-gcm96');
const kek = require('node:crypto').generateKeyPairSync('rsa', { modulusLength: 3072 }).publicKey;
const wrapped = engine.wrapKeyForImport({ target: 'gcp', key, wrappingKey: kek.export({ type: 'spki', format: 'pem' }) });
engine.createKmsBackend({ type: 'pkcs11', library: '/usr/lib/softhsm/libsofthsm2.so', pin: '1' }).then(
  () => console.log(JSON.stringify({ opened: true })),
  (e) => console.log(JSON.stringify({ wrapped: wrapped.blob.length > 0, keyplane: engine.isKeyplaneError(e), code: e.code, field: e.field, message: e.message })),
);`;

it('wraps BYOK blobs without pkcs11js and refuses the pkcs11 backend naming it', () => {
  expect(existsSync(DIST)).toBe(true);
  const r = spawnSync(process.execPath, ['-e', SCRIPT], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout)).toEqual({
    wrapped: true,
    keyplane: true,
    code: 'ERR_UNSUPPORTED_TARGET',
    field: 'type',
    message:
      'the pkcs11 backend needs the optional dependency pkcs11js, which is not installed (npm install pkcs11js)',
  });
});
