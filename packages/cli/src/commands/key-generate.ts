/**
 * `keyplane key generate` — make a software key for a key ceremony and write it to a new file:
 * PKCS#8 (PEM or DER) for asymmetric types, the raw 32 bytes for AES. Prints only public data.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import {
  KEY_TYPE_NAMES,
  exportPkcs8Pem,
  exportPlaintext,
  generateKeyMaterial,
  keyType,
  publicKeyOf,
  zeroize,
} from '@keyplane/engine/keys';
import { UsageError, type CommandSpec } from '../command';
import { writeNewFile } from '../files';
import { printResult } from '../output';

const FORMATS = ['pem', 'der', 'raw'] as const;

export const keyGenerate: CommandSpec = {
  path: ['key', 'generate'],
  details: [
    'Asymmetric keys are written as PKCS#8 (PEM by default, or --format der); aes256-gcm96 as the',
    'raw 32 bytes. The file must not exist: keyplane never overwrites key material.',
    '',
    'Example:',
    '  keyplane key generate --type ecdsa-p256 --out signing-key.pem',
  ].join('\n'),
  options: [
    {
      name: 'type',
      type: 'string',
      required: true,
      valueName: 'type',
      choices: KEY_TYPE_NAMES,
      description: 'Key type.',
    },
    {
      name: 'out',
      type: 'string',
      required: true,
      valueName: 'file',
      description: 'Output file (created; never overwritten).',
    },
    {
      name: 'format',
      type: 'string',
      valueName: 'format',
      choices: FORMATS,
      description: 'pem | der for asymmetric keys, raw for AES (default: pem, or raw for AES).',
    },
    { name: 'json', type: 'boolean', description: 'Print metadata as JSON.' },
  ],
  run: async (ctx) => {
    const type = keyType(String(ctx.values.type));
    const out = String(ctx.values.out);
    const format =
      (ctx.values.format as string | undefined) ?? (type.family === 'aes' ? 'raw' : 'pem');
    const symmetric = type.family === 'aes';
    if (symmetric !== (format === 'raw')) {
      const allowed = symmetric ? 'raw' : 'pem, der';
      throw new UsageError(
        `--format '${format}' is not valid for ${type.name}; allowed: ${allowed}`,
        '--format',
      );
    }
    const material = generateKeyMaterial(type.name);
    const bytes =
      format === 'pem'
        ? exportPkcs8Pem(material)
        : exportPlaintext(material, symmetric ? 'raw' : 'pkcs8');
    try {
      writeNewFile('out', out, bytes);
    } finally {
      zeroize(bytes);
    }
    const pub = publicKeyOf(material)?.export({ format: 'der', type: 'spki' });
    const publicKeySha256 =
      pub === undefined ? undefined : createHash('sha256').update(pub).digest('hex');
    const human = `wrote ${type.name} key to ${out} (${format}, mode 0600)`;
    await printResult(
      ctx,
      {
        type: type.name,
        out,
        format,
        ...(publicKeySha256 === undefined ? {} : { publicKeySha256 }),
      },
      publicKeySha256 === undefined ? human : `${human}; public key sha256:${publicKeySha256}`,
    );
  },
};
