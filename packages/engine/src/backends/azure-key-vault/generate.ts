/**
 * Key creation per family as a table: the KeyClient call and its size / curve parameter.
 *
 * @module
 */
import type { KeyClient, KeyVaultKey } from '@azure/keyvault-keys';
import type { KeyFamily, KeyType } from '../../algorithms/key-types';
import { lookup, table } from '../../algorithms/table';
import { UnsupportedKeyTypeError } from '../../errors';
import { definedOnly } from '../../options';

export interface CreateParameters {
  readonly hsm: boolean;
  readonly keyOps: string[];
  readonly tags: Record<string, string>;
}

type Creator = (
  client: KeyClient,
  name: string,
  type: KeyType,
  p: CreateParameters,
) => Promise<KeyVaultKey>;

const CREATORS = table<KeyFamily, Creator>({
  rsa: (c, name, type, p) =>
    c.createRsaKey(name, {
      hsm: p.hsm,
      keySize: type.bits,
      publicExponent: 65537,
      keyOps: p.keyOps,
      tags: p.tags,
    }),
  ecdsa: (c, name, type, p) =>
    c.createEcKey(name, {
      hsm: p.hsm,
      ...definedOnly({ curve: type.family === 'ecdsa' ? type.curve : undefined }),
      keyOps: p.keyOps,
      tags: p.tags,
    }),
  aes: (c, name, type, p) =>
    c.createOctKey(name, { hsm: p.hsm, keySize: type.bits, keyOps: p.keyOps, tags: p.tags }),
  ed25519: () =>
    Promise.reject(
      new UnsupportedKeyTypeError('Azure Key Vault has no Ed25519 keys', { field: 'key_type' }),
    ),
});

export async function createKey(
  client: KeyClient,
  name: string,
  type: KeyType,
  parameters: CreateParameters,
): Promise<KeyVaultKey> {
  const create = lookup(CREATORS, type.family);
  if (create === undefined)
    throw new UnsupportedKeyTypeError(`no creator for ${type.name}`, { field: 'key_type' });
  return await create(client, name, type, parameters);
}
