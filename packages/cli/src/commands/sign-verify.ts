/**
 * `keyplane sign` / `keyplane verify` through a named signing key (CryptoClient). Signatures
 * are `keyplane:v<N>:<base64>`; verify also accepts Vault Transit's `vault:v<N>:`.
 * `verify` exits 0 when the signature is valid and 1 when it is not, so scripts can branch.
 *
 * @module
 */
import { QuietFailure, type CommandSpec, type OptionSpec } from '../command';
import { readInput } from '../files';
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
    description: 'Data to sign / verify.',
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
    const data = readInput('input', String(ctx.values.input));
    const result = await withCryptoClient(ctx, String(ctx.values.key), (c) =>
      c.sign(data, signOptions(ctx.values)),
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
    const data = readInput('input', String(ctx.values.input));
    const given = String(ctx.values.signature);
    const signature = given.startsWith('@')
      ? readInput('signature', given.slice(1)).toString('utf8').trim()
      : given;
    const valid = await withCryptoClient(ctx, String(ctx.values.key), (c) =>
      c.verify(data, signature, signOptions(ctx.values)),
    );
    await printResult(ctx, { valid }, `valid: ${String(valid)}`);
    if (!valid) throw new QuietFailure('signature is not valid');
  },
};
