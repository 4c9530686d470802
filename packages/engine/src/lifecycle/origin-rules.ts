/**
 * The pure checks of key origins (no store, no token): the origin's form, the key types a token
 * may originate, and where an HSM-origin key may be distributed — run by the engine before
 * anything changes and at CDKTF synth (exported from `@keyplane/engine/lifecycle-rules`).
 *
 * @module
 */
import { KEY_TYPES, KEY_TYPE_NAMES, type KeyTypeName } from '../algorithms/key-types';
import { names } from '../algorithms/table';
import { EXPORTABLE_FAMILIES, TOKEN_EXPORT_ALGORITHMS } from '../algorithms/token-export';
import {
  InvalidArgumentError,
  UnsupportedKeyTypeError,
  UnsupportedProtectionError,
  UnsupportedTargetError,
  notAllowedMessage,
} from '../errors';

export const ORIGIN_FORMS = ['software', 'hsm:<pkcs11 kms>'] as const;

/**
 * Key types a token may originate: those it can export wrapped (the pkcs11 backend generates
 * every key type; SoftHSM2 2.6.1 wraps no Edwards private key).
 */
export const HSM_ORIGIN_KEY_TYPES: readonly KeyTypeName[] = KEY_TYPE_NAMES.filter((t) =>
  EXPORTABLE_FAMILIES.includes(KEY_TYPES[t].family),
);

/** Where an HSM-origin key may be distributed: the clouds whose format the token can assemble. */
export const HSM_ORIGIN_TARGETS: {
  readonly providers: readonly string[];
  readonly protections: readonly string[];
} = Object.freeze({ providers: names(TOKEN_EXPORT_ALGORITHMS), protections: ['hsm'] });

export const HSM_PREFIX = 'hsm:';

/**
 * The connection an origin names ('' for software); refuses other forms and, for `hsm:`, the key
 * types a token cannot originate.
 */
export function checkOrigin(origin: string, type: KeyTypeName): string {
  if (origin === 'software') return '';
  const kmsName = origin.startsWith(HSM_PREFIX) ? origin.slice(HSM_PREFIX.length) : '';
  if (kmsName === '') {
    throw new InvalidArgumentError(notAllowedMessage('origin', origin, '', ORIGIN_FORMS), {
      field: 'origin',
      allowed: ORIGIN_FORMS,
    });
  }
  if (!HSM_ORIGIN_KEY_TYPES.includes(type)) {
    throw new UnsupportedKeyTypeError(
      notAllowedMessage('type', type, 'for origin hsm', HSM_ORIGIN_KEY_TYPES),
      { field: 'type', allowed: HSM_ORIGIN_KEY_TYPES },
    );
  }
  return kmsName;
}

/** Refuses, before anything changes, a distribution the token cannot export to. */
export function checkOriginTarget(origin: string, provider: string, protection: string): void {
  if (!origin.startsWith(HSM_PREFIX)) return;
  if (!HSM_ORIGIN_TARGETS.providers.includes(provider)) {
    throw new UnsupportedTargetError(
      notAllowedMessage('provider', provider, `for HSM-origin keys (${origin})`, [
        ...HSM_ORIGIN_TARGETS.providers,
      ]),
      { field: 'kms', allowed: HSM_ORIGIN_TARGETS.providers },
    );
  }
  if (!HSM_ORIGIN_TARGETS.protections.includes(protection)) {
    throw new UnsupportedProtectionError(
      notAllowedMessage('protection', protection, `for HSM-origin keys (${origin})`, [
        ...HSM_ORIGIN_TARGETS.protections,
      ]),
      { field: 'protection', allowed: HSM_ORIGIN_TARGETS.protections },
    );
  }
}
