/**
 * Distribution compatibility: the cloud rows come from algorithms/clouds.ts (the one table the
 * provider and CDKTF check too); PKCS#11 — a distribution target only Keyplane has — gets its
 * row here, from what the PKCS#11 backend imports (every type but Ed25519, HSM protection).
 *
 * @module
 */
import {
  PURPOSES,
  checkDistribution,
  type AzureService,
  type Protection,
  type Purpose,
} from '../algorithms/clouds';
import type { KeyFamily, KeyTypeName } from '../algorithms/key-types';
import { KEY_TYPE_NAMES, keyType } from '../algorithms/key-types';
import { lookup, table } from '../algorithms/table';
import type { BackendType } from '../backends/contract';
import {
  UnsupportedKeyTypeError,
  UnsupportedProtectionError,
  UnsupportedPurposeError,
  notAllowedMessage,
} from '../errors';

const PKCS11_PURPOSES = table<Exclude<KeyFamily, 'ed25519'>, readonly Purpose[]>({
  aes: ['encrypt', 'decrypt', 'wrap', 'unwrap'],
  rsa: PURPOSES,
  ecdsa: ['sign', 'verify'],
});

/** The key types a PKCS#11 target takes, derived from the row above (never restated). */
const PKCS11_KEY_TYPES: readonly KeyTypeName[] = KEY_TYPE_NAMES.filter(
  (t) => lookup(PKCS11_PURPOSES, keyType(t).family) !== undefined,
);

function checkPkcs11(type: KeyTypeName, purposes: readonly string[], protection: string): void {
  const family = keyType(type).family;
  const allowed = lookup(PKCS11_PURPOSES, family);
  if (allowed === undefined) {
    const types = PKCS11_KEY_TYPES;
    throw new UnsupportedKeyTypeError(notAllowedMessage('type', type, 'by pkcs11', types), {
      field: 'type',
      allowed: types,
    });
  }
  if (protection !== 'hsm') {
    throw new UnsupportedProtectionError(
      notAllowedMessage('protection', protection, `for ${type} on pkcs11`, ['hsm']),
      {
        field: 'protection',
        allowed: ['hsm'],
      },
    );
  }
  const bad = purposes.find((p) => !allowed.includes(p as Purpose));
  if (bad !== undefined || purposes.length === 0) {
    throw new UnsupportedPurposeError(
      notAllowedMessage('purpose', bad ?? '', `for ${type} on pkcs11`, allowed),
      {
        field: 'purpose',
        allowed,
      },
    );
  }
}

/** What a distribution gets when it names no protection (the provider's schema default too). */
export const DEFAULT_PROTECTION: Protection = 'hsm';

/** Refuses (typed, naming type, provider, purpose and what is allowed) before anything changes. */
export function checkCompatible(req: {
  readonly provider: BackendType;
  readonly keyType: KeyTypeName;
  readonly purposes: readonly string[];
  readonly protection: string;
  readonly azureService?: AzureService | undefined;
}): void {
  if (req.provider === 'pkcs11') {
    checkPkcs11(req.keyType, req.purposes, req.protection);
    return;
  }
  checkDistribution({
    provider: req.provider,
    keyType: req.keyType,
    purposes: req.purposes,
    protection: req.protection,
    azureService: req.azureService,
  });
}

export function azureServiceOf(options: Readonly<Record<string, string>>): AzureService {
  if (options.service === 'managed-hsm' || options.service === 'vault') return options.service;
  const where = `${options.resource ?? ''} ${options.endpoint ?? ''}`;
  return where.includes('managedhsm') ? 'managed-hsm' : 'vault';
}

export type { Protection };
