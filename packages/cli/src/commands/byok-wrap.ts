/**
 * `keyplane byok wrap` — wrap a key for import into AWS KMS, Azure Key Vault / Managed HSM or
 * Google Cloud KMS, writing exactly what the cloud API takes:
 * AWS `EncryptedKeyMaterial` bytes, the Azure `.byok` JSON document, GCP `wrappedKey` bytes.
 *
 * @module
 */
import {
  AZURE_SERVICES,
  BYOK_TARGET_NAMES,
  KEY_TYPE_NAMES,
  KMS_PROVIDER_NAMES,
  WRAPPING_ALGORITHMS,
  importKeyMaterial,
  wrapKeyForImport,
  zeroize,
  type AzureService,
  type ByokWrapResult,
} from '@keyplane/engine';
import type { CommandSpec } from '../command';
import { readInput, writeNewFile } from '../files';
import { printResult } from '../output';

const algorithmsHelp = KMS_PROVIDER_NAMES.map(
  (p) => `  ${p.padEnd(14)}${Object.keys(WRAPPING_ALGORITHMS[p]).join(', ')}`,
).join('\n');

export const byokWrap: CommandSpec = {
  path: ['byok', 'wrap'],
  details: [
    'Writes exactly what the cloud API takes: AWS ImportKeyMaterial EncryptedKeyMaterial (raw bytes),',
    'the Azure .byok JSON document (for key_hsm), GCP ImportCryptoKeyVersion wrappedKey (raw bytes).',
    '',
    'Wrapping algorithms (first = default; GCP defaults to the SHA-256 hybrid of the KEK size):',
    algorithmsHelp,
    '',
    'Examples:',
    '  keyplane byok wrap --target aws --wrapping-key WrappingPublicKey.der --key key.pem --out material.bin',
    '  keyplane byok wrap --target azure --kid https://v.vault.azure.net/keys/kek/<version> \\',
    '      --wrapping-key kek.pem --key rsa.pem --out key.byok',
    '  keyplane byok wrap --target gcp --algorithm RSA_OAEP_4096_SHA256_AES_256 \\',
    '      --wrapping-key import-job.pem --key ec.pem --out wrapped.bin',
  ].join('\n'),
  options: [
    {
      name: 'target',
      type: 'string',
      required: true,
      valueName: 'cloud',
      choices: BYOK_TARGET_NAMES,
      description: 'Target cloud.',
    },
    {
      name: 'algorithm',
      type: 'string',
      valueName: 'name',
      description: 'Wrapping algorithm / import method (see below).',
    },
    {
      name: 'wrapping-key',
      type: 'string',
      required: true,
      valueName: 'file',
      description: "The cloud's RSA wrapping public key, PEM or DER SPKI.",
    },
    {
      name: 'kid',
      type: 'string',
      valueName: 'url',
      description: 'Azure: full versioned key id of the KEK (required for azure).',
    },
    {
      name: 'azure-service',
      type: 'string',
      valueName: 'service',
      choices: AZURE_SERVICES,
      description: 'Azure: vault or managed-hsm (default: from the kid host).',
    },
    {
      name: 'key',
      type: 'string',
      required: true,
      valueName: 'file',
      description: 'Key to wrap: PKCS#8 PEM/DER, or a raw 32-byte AES key.',
    },
    {
      name: 'key-type',
      type: 'string',
      valueName: 'type',
      choices: KEY_TYPE_NAMES,
      description: 'Assert the key is of this type.',
    },
    {
      name: 'out',
      type: 'string',
      required: true,
      valueName: 'file',
      description: 'Output file (created; never overwritten).',
    },
    { name: 'json', type: 'boolean', description: 'Print metadata as JSON.' },
  ],
  run: async (ctx) => {
    const v = ctx.values;
    const str = (name: string) => (typeof v[name] === 'string' ? v[name] : undefined);
    const keyBytes = readInput('key', String(v.key));
    const wrappingKey = readInput('wrapping-key', String(v['wrapping-key']));
    let result: ByokWrapResult;
    try {
      const key = importKeyMaterial(keyBytes, str('key-type'));
      const algorithm = str('algorithm');
      const kid = str('kid');
      const azureService = str('azure-service') as AzureService | undefined;
      result = wrapKeyForImport({
        target: String(v.target),
        key,
        wrappingKey,
        algorithm,
        kid,
        azureService,
      });
    } finally {
      zeroize(keyBytes);
    }
    const out = String(v.out);
    writeNewFile('out', out, result.blob);
    // The file holds the blob (and Azure's document); metadata stays small and public.
    const { blob, ...meta } = result as ByokWrapResult & { document?: unknown };
    delete meta.document;
    await printResult(
      ctx,
      { ...meta, out, bytes: blob.length },
      `wrote ${blob.length} bytes to ${out}: ${result.keyType} → ${result.provider} ${result.cloudSpec} with ${result.algorithm} (KEK RSA-${result.wrappingKeyBits} sha256:${result.wrappingKeySha256.slice(0, 16)}…)`,
    );
  },
};
