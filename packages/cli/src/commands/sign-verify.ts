/**
 * `keyplane sign` / `keyplane verify` through a named signing key (CryptoClient). Signatures
 * are `keyplane:v<N>:<base64>`; verify also accepts Vault Transit's `vault:v<N>:`.
 * `verify` exits 0 when the signature is valid and 1 when it is not, so scripts can branch.
 *
 * @module
 */
import { QuietFailure, type CommandSpec, type OptionSpec } from '../command';
import { readInput, streamInput } from '../files';
import {
  HASH_OPTION,
  JSON_OPTION,
  NAMESPACE_OPTION,
  PSS_OPTION,
  REGISTRY_HELP,
} from '../managed-context';
import { printResult } from '../output';
import { withCryptoClient } from './signing-key';

const COMMON: readonly OptionSpec[] = [
  NAMESPACE_OPTION,
  {
    name: 'key',
    type: 'string',
    required: true,
    valueName: 'name',
    description: 'Signing key name.',
  },
  HASH_OPTION,
  PSS_OPTION,
  { name: 'prehashed', type: 'boolean', description: 'The input file already is the digest.' },
  {
    name: 'input',
    type: 'string',
    required: true,
    valueName: 'file',
    description: 'Data to sign / verify (streamed; - reads stdin).',
  },
  JSON_OPTION,
];

function signOptions(values: Readonly<Record<string, string | boolean | undefined>>) {
  return {
    ...(typeof values.hash === 'string' ? { hash: values.hash } : {}),
    ...(values.pss === true ? { pss: true } : {}),
    input: values.prehashed === true ? ('digest' as const) : ('message' as const),
  };
}

export const sign: CommandSpec = {
  path: ['sign'],
  details: [
    'Example:',
    '  keyplane sign --key signer-azure-key --hash sha2-512 --input data.txt',
    REGISTRY_HELP,
  ].join('\n'),
  options: COMMON,
  run: async (ctx) => {
    const options = signOptions(ctx.values);
    // A digest is small; a message is streamed to the hash, never held in memory.
    const result = await withCryptoClient(ctx, String(ctx.values.key), async (c) =>
      options.input === 'digest'
        ? await c.sign(readInput('input', String(ctx.values.input)), options)
        : await c.signStream(await streamInput('input', String(ctx.values.input)), options),
    );
    await printResult(ctx, result, result.signature);
  },
};

export const verify: CommandSpec = {
  path: ['verify'],
  options: [
    ...COMMON,
    {
      name: 'signature',
      type: 'string',
      required: true,
      valueName: 'sig|@file',
      description: 'The signature, or @file containing it.',
    },
  ],
  run: async (ctx) => {
    const given = String(ctx.values.signature);
    const signature = given.startsWith('@')
      ? readInput('signature', given.slice(1)).toString('utf8').trim()
      : given;
    const options = signOptions(ctx.values);
    const valid = await withCryptoClient(ctx, String(ctx.values.key), async (c) =>
      options.input === 'digest'
        ? await c.verify(readInput('input', String(ctx.values.input)), signature, options)
        : await c.verifyStream(
            await streamInput('input', String(ctx.values.input)),
            signature,
            options,
          ),
    );
    await printResult(ctx, { valid }, `valid: ${String(valid)}`);
    if (!valid) throw new QuietFailure('signature is not valid');
  },
};
