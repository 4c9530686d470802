/**
 * From an intent to the facts the rules judge: every key type the intent involves (with the
 * field that names it and that field's own vocabulary, so a refusal of `parameters.key_bits`
 * lists allowed `key_bits` values), the provider, where the key lives, purposes, rotation…
 * One extractor per intent kind; the rules never look at the intent itself.
 *
 * Values the engine does not know at all (an unknown key type, provider, purpose, a malformed
 * duration) are input errors, not policy violations: they throw the engine's own typed errors,
 * as the lifecycle would.
 *
 * @module
 */
import { PROTECTIONS, PURPOSES } from '../algorithms/clouds';
import { KEY_TYPES, keyType, type KeyType } from '../algorithms/key-types';
import { lookup } from '../algorithms/table';
import { GCP_ALGORITHMS } from '../backends/gcp-kms/algorithms';
import { BACKEND_TYPES, type BackendType } from '../backends/contract';
import { parseDuration } from '../duration';
import {
  InvalidArgumentError,
  type KeyplaneError,
  type KeyplaneErrorDetails,
  UnsupportedProtectionError,
  UnsupportedPurposeError,
  UnsupportedTargetError,
  notAllowedMessage,
} from '../errors';
import {
  CURVES,
  GCP_SIGN_ALGORITHMS,
  GENERIC_PARAMETERS,
  RSA_KEY_BITS,
  backendType,
  parseParameters,
  type ParameterValue,
} from '../managed/parameters';
import type {
  DistributionIntent,
  KeyIntent,
  KmsConnectionIntent,
  ManagedKeyIntent,
  PolicyIntent,
  PolicyIntentKind,
} from './intents';

/** A value a field can take, and the key type it stands for. */
export interface Spelling {
  readonly spelling: string;
  readonly type: KeyType;
}

/** A key type the intent involves, named by `field`. */
export interface KeyTypeFact {
  readonly field: string;
  /** The value as the field spells it (`rsa-2048`, `2048`, `P256`, `EC_SIGN_P256_SHA256`). */
  readonly value: string;
  readonly type: KeyType;
  /** Every value the field accepts, for "allowed:" lists in the field's own vocabulary. */
  readonly vocabulary: readonly Spelling[];
}

export interface FieldFact<T> {
  readonly field: string;
  readonly value: T;
}

/** Where a key lives; `value` undefined when the intent does not say (fails closed). */
export interface CollectionFact {
  readonly field: string;
  readonly provider: BackendType;
  readonly value: string | undefined;
}

export interface Facts {
  readonly namespace: string;
  readonly keyTypes: readonly KeyTypeFact[];
  readonly origin?: FieldFact<'software' | 'hsm'>;
  /** Seconds; 0 when unset or zero. */
  readonly rotation?: FieldFact<number> & { readonly text: string | undefined };
  readonly deletionAllowed?: FieldFact<boolean>;
  readonly provider?: FieldFact<BackendType>;
  readonly keyCollection?: CollectionFact;
  readonly protection?: FieldFact<string>;
  readonly purposes?: {
    readonly provider: BackendType;
    readonly items: readonly FieldFact<string>[];
  };
  readonly managedBackend?: FieldFact<BackendType>;
  readonly managedUsages?: readonly FieldFact<string>[];
  readonly managedFlags?: readonly FieldFact<string>[];
}

const DEFAULT_NAMESPACE = 'root';

const ALL_TYPES: readonly Spelling[] = Object.values(KEY_TYPES).map((t) => ({
  spelling: t.name,
  type: t,
}));

const keyTypeFact = (field: string, name: string): KeyTypeFact => {
  const type = keyType(name, field);
  return { field, value: type.name, type, vocabulary: ALL_TYPES };
};

type ErrorClass = new (message: string, details: KeyplaneErrorDetails) => KeyplaneError;

function oneOf<T extends string>(
  field: string,
  value: string,
  allowed: readonly T[],
  Err: ErrorClass,
): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new Err(notAllowedMessage(field, value, '', allowed), { field, allowed });
  }
  return value as T;
}

const provider = (field: string, value: string) =>
  oneOf(field, value, BACKEND_TYPES, UnsupportedTargetError);

function keyFacts(intent: KeyIntent, namespace: string): Facts {
  const operation = oneOf(
    'operation',
    intent.operation ?? 'create',
    ['create', 'update'],
    InvalidArgumentError,
  );
  const origin = intent.origin ?? 'software';
  const hsm = /^hsm:.+$/.test(origin);
  if (origin !== 'software' && !hsm) {
    throw new InvalidArgumentError(
      notAllowedMessage('origin', origin, '', ['software', 'hsm:<pkcs11 kms>']),
      {
        field: 'origin',
        allowed: ['software', 'hsm:<pkcs11 kms>'],
      },
    );
  }
  const version = intent.min_enabled_version;
  if (version !== undefined && (!Number.isSafeInteger(version) || version < 0)) {
    throw new InvalidArgumentError(
      `min_enabled_version must be a whole number ≥ 0, got ${version}`,
      {
        field: 'min_enabled_version',
      },
    );
  }
  const type = keyTypeFact('type', intent.type);
  const text = intent.rotation_period;
  const creating = operation === 'create';
  return {
    namespace,
    keyTypes: creating ? [type] : [],
    ...(creating ? { origin: { field: 'origin', value: hsm ? 'hsm' : 'software' } } : {}),
    rotation: {
      field: 'rotation_period',
      value: text === undefined ? 0 : parseDuration(text, 'rotation_period'),
      text,
    },
    deletionAllowed: { field: 'deletion_allowed', value: intent.deletion_allowed ?? false },
  };
}

function distributionFacts(intent: DistributionIntent, namespace: string): Facts {
  const p = provider('provider', intent.provider);
  const items = intent.purpose.map((value, i) => {
    const field = `purpose[${i}]`;
    return { field, value: oneOf(field, value, PURPOSES, UnsupportedPurposeError) };
  });
  return {
    namespace,
    keyTypes: [keyTypeFact('key_type', intent.key_type)],
    provider: { field: 'provider', value: p },
    keyCollection: { field: 'key_collection', provider: p, value: intent.key_collection },
    protection: {
      field: 'protection',
      value: oneOf('protection', intent.protection, PROTECTIONS, UnsupportedProtectionError),
    },
    purposes: { provider: p, items },
  };
}

function kmsFacts(intent: KmsConnectionIntent, namespace: string): Facts {
  const p = provider('provider', intent.provider);
  return {
    namespace,
    keyTypes: [],
    provider: { field: 'provider', value: p },
    keyCollection: { field: 'key_collection', provider: p, value: intent.key_collection },
  };
}

type Params = Readonly<Record<string, ParameterValue>>;
const text = (v: ParameterValue | undefined): string | undefined =>
  v === undefined || v === '' ? undefined : String(v);

/** Parameters that name a key type, each with its vocabulary (the allowed values of the managed-key parameter table). */
const TYPE_PARAMETERS: readonly {
  readonly name: string;
  readonly vocabulary: readonly Spelling[];
}[] = [
  {
    name: 'key_bits',
    vocabulary: RSA_KEY_BITS.map((bits) => ({ spelling: bits, type: keyType(`rsa-${bits}`) })),
  },
  {
    name: 'curve',
    vocabulary: CURVES.flatMap((curve) => {
      const type = Object.values(KEY_TYPES).find(
        (t) => t.family === 'ecdsa' && t.curve.replace('-', '') === curve,
      );
      return type === undefined ? [] : [{ spelling: curve, type }];
    }),
  },
  {
    name: 'algorithm',
    vocabulary: GCP_SIGN_ALGORITHMS.flatMap((name) => {
      const type = lookup(KEY_TYPES, lookup(GCP_ALGORITHMS, name)?.keyType ?? '');
      return type === undefined ? [] : [{ spelling: name, type }];
    }),
  },
];

/** Where a managed key lives, in the KMS connection's `key_collection` terms. */
const MANAGED_COLLECTION: Readonly<
  Record<BackendType, (p: Params) => { readonly field: string; readonly value: string | undefined }>
> = {
  awskms: (p) => ({ field: 'parameters.region', value: text(p.region) }),
  azurekeyvault: (p) => ({ field: 'parameters.vault_name', value: text(p.vault_name) }),
  gcpckms: (p) => {
    const [project, region, ring] = [text(p.project), text(p.region), text(p.key_ring)];
    const value =
      project === undefined || region === undefined || ring === undefined
        ? undefined
        : `projects/${project}/locations/${region}/keyRings/${ring}`;
    return { field: 'parameters.key_ring', value };
  },
  pkcs11: (p) => ({ field: 'parameters.token_label', value: text(p.token_label) }),
};

const FLAG_NAMES = Object.entries(GENERIC_PARAMETERS)
  .filter(([, spec]) => spec.kind === 'boolean')
  .map(([name]) => name);

/** The boolean generic parameters (`allow_generate_key`, …) a policy can deny. */
export const MANAGED_KEY_FLAGS: readonly string[] = FLAG_NAMES;

function managedKeyFacts(intent: ManagedKeyIntent, namespace: string): Facts {
  const backend = backendType(intent.type);
  const params: Params = parseParameters(backend, intent.parameters, true);
  const keyTypes = TYPE_PARAMETERS.flatMap(({ name, vocabulary }): KeyTypeFact[] => {
    const value = text(params[name])?.toUpperCase();
    const match = vocabulary.find((s) => s.spelling.toUpperCase() === value);
    return match === undefined
      ? []
      : [{ field: `parameters.${name}`, value: match.spelling, type: match.type, vocabulary }];
  });
  if (intent.key_type !== undefined) keyTypes.push(keyTypeFact('key_type', intent.key_type));
  const usages = (params.usages ?? []) as readonly string[];
  const collection = MANAGED_COLLECTION[backend](params);
  return {
    namespace,
    keyTypes,
    managedBackend: { field: 'type', value: backend },
    keyCollection: { ...collection, provider: backend },
    managedUsages: usages.map((value, i) => ({ field: `parameters.usages[${i}]`, value })),
    managedFlags: FLAG_NAMES.filter((name) => params[name] === true).map((name) => ({
      field: `parameters.${name}`,
      value: name,
    })),
  };
}

const EXTRACTORS: {
  readonly [K in PolicyIntentKind]: (
    intent: Extract<PolicyIntent, { kind: K }>,
    namespace: string,
  ) => Facts;
} = {
  key: keyFacts,
  distribution: distributionFacts,
  kms: kmsFacts,
  managed_key: managedKeyFacts,
};

/** The facts of one intent; throws the engine's typed errors for values it does not know. */
export function factsOf(intent: PolicyIntent): Facts {
  const namespace = intent.namespace ?? DEFAULT_NAMESPACE;
  if (namespace === '') {
    throw new InvalidArgumentError('namespace must not be empty', { field: 'namespace' });
  }
  const extract = EXTRACTORS[intent.kind] as (i: PolicyIntent, ns: string) => Facts;
  return extract(intent, namespace);
}
