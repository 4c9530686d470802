/**
 * The OpenSSL CLI as an independent second implementation of the BYOK formats
 * (byok-formats.md §5). Every helper shells out to `openssl` with files in a private temp
 * directory that is removed afterwards. Nothing here imports engine code.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export type ByokScheme = 'rsa-aes-key-wrap' | 'rsa-oaep';
export type OaepHashName = 'sha1' | 'sha256';

export interface ByokFormat {
  readonly scheme: ByokScheme;
  readonly hash: OaepHashName;
}

/** RFC 5649 §3 alternative initial value, as the CLI wants it. */
export const KWP_IV_HEX = 'A65959A6';

const execFileAsync = promisify(execFile);

function failure(args: readonly string[], cause: unknown): Error {
  const stderr: unknown =
    typeof cause === 'object' && cause !== null && 'stderr' in cause ? cause.stderr : undefined;
  const text = Buffer.isBuffer(stderr)
    ? stderr.toString('utf8')
    : typeof stderr === 'string'
      ? stderr
      : '';
  return new Error(`openssl ${args[0] ?? ''} failed: ${text.trim()}`, { cause });
}

/** Runs `openssl <args>` synchronously and returns stdout. Throws with stderr on a non-zero exit. */
export function openssl(args: readonly string[], input?: Buffer): Buffer {
  try {
    return execFileSync('openssl', args, {
      input,
      stdio: ['pipe', 'pipe', 'pipe'],
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (cause) {
    throw failure(args, cause);
  }
}

/** Async variant for slow steps (RSA key generation), so several can run on separate cores. */
export async function opensslAsync(args: readonly string[]): Promise<void> {
  try {
    await execFileAsync('openssl', args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (cause) {
    throw failure(args, cause);
  }
}

/** Runs `fn` in a fresh `os.tmpdir()` directory and always removes it. */
export function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'keyplane-openssl-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const isPem = (key: string | Buffer): boolean =>
  (typeof key === 'string' ? key : key.toString('latin1', 0, Math.min(key.length, 64))).includes(
    '-----BEGIN',
  );

/** `-pkeyopt` arguments for OAEP with MGF1 over the same hash (empty label by default). */
function oaepOptions(hash: OaepHashName): string[] {
  return [
    '-pkeyopt',
    'rsa_padding_mode:oaep',
    '-pkeyopt',
    `rsa_oaep_md:${hash}`,
    '-pkeyopt',
    `rsa_mgf1_md:${hash}`,
  ];
}

/** `openssl pkeyutl <op args> -in <base>.in -out <base>.out` with OAEP(hash, MGF1-hash). */
function pkeyutlOaep(opArgs: readonly string[], base: string, hash: OaepHashName): Buffer {
  openssl(['pkeyutl', ...opArgs, '-in', `${base}.in`, '-out', `${base}.out`, ...oaepOptions(hash)]);
  return readFileSync(`${base}.out`);
}

/** Modulus size in bytes, read from `openssl pkey -text` of a key file. */
export function opensslModulusBytes(keyPath: string, kind: 'private' | 'public'): number {
  const args =
    kind === 'private'
      ? ['pkey', '-in', keyPath, '-noout', '-text']
      : ['pkey', '-pubin', '-in', keyPath, '-noout', '-text_pub'];
  const text = openssl(args).toString('utf8');
  const bits = /\((\d+) bit/.exec(text)?.[1];
  if (bits === undefined) throw new Error(`openssl printed no key size for ${keyPath}`);
  return Math.ceil(Number(bits) / 8);
}

/**
 * Unwraps a BYOK blob with OpenSSL: split at the KEK's modulus length, `pkeyutl -decrypt` the
 * head with OAEP, then `enc -d -id-aes256-wrap-pad` the tail with the recovered AES key. For
 * direct OAEP the whole blob is one `pkeyutl -decrypt`.
 */
export function opensslUnwrap(
  blob: Uint8Array,
  kekPrivatePem: string | Buffer,
  format: ByokFormat,
): Buffer {
  return withTempDir((dir) => {
    const kek = join(dir, 'kek.pem');
    writeFileSync(kek, kekPrivatePem, { mode: 0o600 });
    const decrypt = (input: Uint8Array, name: string): Buffer => {
      writeFileSync(join(dir, `${name}.in`), input);
      return pkeyutlOaep(['-decrypt', '-inkey', kek], join(dir, name), format.hash);
    };
    if (format.scheme === 'rsa-oaep') return decrypt(blob, 'direct');

    const modulusBytes = opensslModulusBytes(kek, 'private');
    if (blob.length <= modulusBytes) throw new Error('blob is not longer than the RSA block');
    const aesKey = decrypt(blob.subarray(0, modulusBytes), 'k');
    const kwp = join(dir, 'kwp.bin');
    const plain = join(dir, 'plain.bin');
    writeFileSync(kwp, blob.subarray(modulusBytes));
    openssl([
      'enc',
      '-d',
      '-id-aes256-wrap-pad',
      '-K',
      aesKey.toString('hex'),
      '-iv',
      KWP_IV_HEX,
      '-in',
      kwp,
      '-out',
      plain,
    ]);
    return readFileSync(plain);
  });
}

/**
 * Builds a BYOK blob with OpenSSL (§5 recipe): `openssl rand 32` AES key, `enc
 * -id-aes256-wrap-pad` of the plaintext, `pkeyutl -encrypt -pubin` of the AES key with OAEP,
 * RSA block first. The KEK may be PEM or DER SPKI (`-keyform DER`, as AWS hands it out).
 */
export function opensslWrap(
  plaintext: Uint8Array,
  kekPublic: string | Buffer,
  format: ByokFormat,
): Buffer {
  return withTempDir((dir) => {
    const kek = join(dir, 'kek.pub');
    writeFileSync(kek, kekPublic);
    const keyform = isPem(kekPublic) ? 'PEM' : 'DER';
    const target = join(dir, 'target.in');
    writeFileSync(target, plaintext, { mode: 0o600 });
    const encrypt = (name: string): Buffer =>
      pkeyutlOaep(
        ['-encrypt', '-pubin', '-keyform', keyform, '-inkey', kek],
        join(dir, name),
        format.hash,
      );
    if (format.scheme === 'rsa-oaep') return encrypt('target');

    const k = join(dir, 'k.in');
    const kwp = join(dir, 'kwp.bin');
    openssl(['rand', '-out', k, '32']);
    openssl([
      'enc',
      '-id-aes256-wrap-pad',
      '-K',
      readFileSync(k).toString('hex'),
      '-iv',
      KWP_IV_HEX,
      '-in',
      target,
      '-out',
      kwp,
    ]);
    return Buffer.concat([encrypt('k'), readFileSync(kwp)]);
  });
}

/** PKCS#8 DER of a private key file, as `openssl pkcs8 -topk8 -nocrypt -outform DER` writes it. */
export function opensslPkcs8Der(privatePemPath: string): Buffer {
  return openssl(['pkcs8', '-topk8', '-nocrypt', '-in', privatePemPath, '-outform', 'DER']);
}
