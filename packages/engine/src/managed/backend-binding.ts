/**
 * From a managed key's parameters to a backend: the connection config, the key reference, what
 * to generate when `allow_generate_key` applies, and the signing rules the parameters impose
 * (a PKCS#11 `mechanism` fixes the padding; a GCP `algorithm` fixes hash and padding).
 * One row per backend type; nothing here talks to a backend.
 *
 * @module
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { lookup, table } from '../algorithms/table';
import type { KeyFamily } from '../algorithms/key-types';
import { isLoopbackHost } from '../backends/common/loopback';
import type { BackendConfig } from '../backends/configs';
import { createKmsBackend } from '../backends/factory';
import type {
  BackendKeyType,
  BackendType,
  KeyRef,
  KeySpec,
  KeyUsage,
  KmsBackend,
  SignatureScheme,
} from '../backends/contract';
import { InvalidArgumentError, MissingParameterError, notAllowedMessage } from '../errors';
import {
  CURVE_KEY_TYPES,
  GCP_SIGN_ALGORITHM_ROWS,
  GCP_SIGN_ALGORITHMS,
  PKCS11_MECHANISM_ROWS,
  PKCS11_MECHANISMS,
  endpointHost,
  type ParameterValue,
} from './parameters';

/** What a parameter set means for signing. */
export interface SigningRules {
  /** Key family the parameters demand, checked against the key found in the backend. */
  readonly family?: KeyFamily | undefined;
  /** The parameter that fixed `family` / `pss` (named in refusals). */
  readonly field?: string | undefined;
  /** PSS forced on (true) or off (false) by the parameters; undefined = caller's choice. */
  readonly pss?: boolean | undefined;
  /** Whether the parameters allow signing at all (PKCS#11 CKM_RSA_PKCS_OAEP does not). */
  readonly canSign: boolean;
  /** Exact key type the parameters name (`curve`, `key_bits`, a GCP `algorithm`), if any. */
  readonly keyType?: BackendKeyType | undefined;
  /** The parameter that named `keyType`. */
  readonly keyTypeField?: string | undefined;
  /** The one scheme the key must have (a GCP key version has exactly one algorithm). */
  readonly scheme?: SignatureScheme | undefined;
}

export interface Binding {
  readonly config: BackendConfig;
  readonly ref: KeyRef;
  /** What `allow_generate_key` creates; a MissingParameterError when parameters don't say. */
  readonly spec: () => KeySpec;
  readonly signing: SigningRules;
}

type Params = Readonly<Record<string, ParameterValue | undefined>>;

export interface BindingInput {
  readonly name: string;
  readonly usages: readonly KeyUsage[];
  readonly params: Params;
  readonly secrets: Readonly<Record<string, string>>;
  readonly maxParallel?: number | undefined;
}

const opt = (p: Params, name: string): string | undefined => {
  const v = p[name];
  return v === undefined || v === '' ? undefined : String(v);
};

const need = (value: string | undefined, field: string, why: string): string => {
  if (value === undefined)
    throw new MissingParameterError(`${field} is required ${why}`, { field });
  return value;
};

/** Usages that describe a key (not `random`, which is a backend capability). */
const keyUsages = (usages: readonly KeyUsage[]): KeyUsage[] => usages.filter((u) => u !== 'random');

function rsaType(p: Params, why: string): BackendKeyType {
  return `rsa-${need(opt(p, 'key_bits'), 'key_bits', why)}` as BackendKeyType;
}

function ecType(p: Params, why: string): BackendKeyType {
  const curve = need(opt(p, 'curve'), 'curve', why).toUpperCase();
  return lookup(CURVE_KEY_TYPES, curve) ?? 'ecdsa-p256';
}

/**
 * The key type `curve` / `key_bits` name for a key of `family`, when given: a key found in the
 * backend must be of it (a `curve=P384` entry over a P-256 key is refused, naming `curve`).
 */
function sizedType(p: Params, family: KeyFamily): Pick<SigningRules, 'keyType' | 'keyTypeField'> {
  const field = family === 'rsa' ? 'key_bits' : 'curve';
  if (opt(p, field) === undefined) return {};
  return { keyType: family === 'rsa' ? rsaType(p, '') : ecType(p, ''), keyTypeField: field };
}

/** The host of an endpoint (URL or host:port); a typed refusal when it is neither. */
export function hostOf(endpoint: string): string {
  const host = endpointHost(endpoint);
  if (host === undefined) {
    throw new InvalidArgumentError(`endpoint '${endpoint}' is not a URL or host:port`, {
      field: 'endpoint',
    });
  }
  return host;
}

/** A PEM certificate file, read now so a bad `ca_file` is refused at create, naming it. */
function readCaFile(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new InvalidArgumentError(`ca_file '${path}' cannot be read (${why})`, {
      field: 'ca_file',
    });
  }
  try {
    new X509Certificate(pem);
  } catch {
    throw new InvalidArgumentError(`ca_file '${path}' is not a PEM certificate`, {
      field: 'ca_file',
    });
  }
  return pem;
}

type Binder = (input: BindingInput) => Binding;

const GENERATE = 'when allow_generate_key is true and the key does not exist';

const BINDERS = table<BackendType, Binder>({
  pkcs11: ({ usages, params: p, secrets, maxParallel }) => {
    const mechanism = need(opt(p, 'mechanism'), 'mechanism', 'for pkcs11')
      .toUpperCase()
      .replace('0X', '0x');
    const row = lookup(PKCS11_MECHANISM_ROWS, mechanism);
    if (row === undefined) {
      throw new InvalidArgumentError(
        notAllowedMessage('mechanism', mechanism, '', PKCS11_MECHANISMS),
        {
          field: 'mechanism',
          allowed: PKCS11_MECHANISMS,
        },
      );
    }
    const keyId = opt(p, 'key_id');
    return {
      config: {
        type: 'pkcs11',
        library: need(opt(p, 'library'), 'library', 'for pkcs11'),
        slot: opt(p, 'slot'),
        tokenLabel: opt(p, 'token_label'),
        pin: need(secrets.pin, 'pin', 'for pkcs11'),
        forceRwSession: p.force_rw_session === true,
        maxParallel: maxParallel ?? Number(p.max_parallel ?? 1),
      },
      ref: { name: opt(p, 'key_label') ?? '', id: keyId },
      spec: () => {
        if (opt(p, 'key_label') === undefined) {
          throw new MissingParameterError(
            `key_label is required ${GENERATE}: key ids are assigned by the HSM`,
            {
              field: 'key_label',
            },
          );
        }
        const keyType = row.family === 'ecdsa' ? ecType(p, GENERATE) : rsaType(p, GENERATE);
        return { keyType, usages: keyUsages(usages) };
      },
      signing: {
        family: row.family,
        field: 'mechanism',
        pss: row.pss,
        canSign: row.canSign,
        ...sizedType(p, row.family),
      },
    };
  },
  awskms: ({ usages, params: p, secrets, maxParallel }) => {
    const accessKeyId = secrets.access_key;
    const secretAccessKey = secrets.secret_key;
    if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
      const field = accessKeyId === undefined ? 'access_key' : 'secret_key';
      throw new MissingParameterError(`${field} is required when the other AWS key is given`, {
        field,
      });
    }
    const keyTypeParam = need(opt(p, 'key_type'), 'key_type', 'for awskms').toUpperCase();
    const family: KeyFamily = keyTypeParam === 'RSA' ? 'rsa' : 'ecdsa';
    return {
      config: {
        type: 'awskms',
        region: opt(p, 'region'),
        endpoint: opt(p, 'endpoint'),
        credentials:
          accessKeyId !== undefined && secretAccessKey !== undefined
            ? { accessKeyId, secretAccessKey }
            : undefined,
        maxParallel,
      },
      ref: { name: need(opt(p, 'kms_key'), 'kms_key', 'for awskms') },
      spec: () => ({
        keyType: family === 'rsa' ? rsaType(p, GENERATE) : ecType(p, GENERATE),
        usages: keyUsages(usages),
      }),
      signing: { family, field: 'key_type', canSign: true, ...sizedType(p, family) },
    };
  },
  azurekeyvault: ({ usages, params: p, secrets, maxParallel }) => {
    const endpoint = opt(p, 'endpoint');
    const caFile = opt(p, 'ca_file');
    return {
      config: {
        type: 'azurekeyvault',
        vaultUrl: endpoint,
        vaultName: opt(p, 'vault_name'),
        resource: opt(p, 'resource'),
        tenantId: opt(p, 'tenant_id'),
        clientId: opt(p, 'client_id'),
        clientSecret: secrets.client_secret,
        environment: opt(p, 'environment'),
        caPem: caFile === undefined ? undefined : readCaFile(caFile),
        credential:
          endpoint !== undefined && isLoopbackHost(hostOf(endpoint))
            ? LOCAL_DEV_CREDENTIAL
            : undefined,
        maxParallel,
      },
      ref: { name: need(opt(p, 'key_name'), 'key_name', 'for azurekeyvault') },
      spec: () => ({ keyType: rsaType(p, GENERATE), usages: keyUsages(usages), protection: 'hsm' }),
      signing: { family: 'rsa', field: 'key_type', canSign: true, ...sizedType(p, 'rsa') },
    };
  },
  gcpckms: ({ usages, params: p, maxParallel }) => {
    const algorithm = need(opt(p, 'algorithm'), 'algorithm', 'for gcpckms').toUpperCase();
    const row = GCP_SIGN_ALGORITHM_ROWS.find((r) => r.name === algorithm);
    if (row === undefined) {
      throw new InvalidArgumentError(
        notAllowedMessage('algorithm', algorithm, '', GCP_SIGN_ALGORITHMS),
        {
          field: 'algorithm',
          allowed: GCP_SIGN_ALGORITHMS,
        },
      );
    }
    const { keyType } = row;
    const endpoint = opt(p, 'endpoint');
    const insecure = p.insecure === true;
    return {
      config: {
        type: 'gcpckms',
        project: opt(p, 'project'),
        location: opt(p, 'region'),
        keyRing: need(opt(p, 'key_ring'), 'key_ring', 'for gcpckms'),
        endpoint,
        insecure,
        credentialsFile: opt(p, 'credentials'),
        maxParallel,
      },
      ref: {
        name: need(opt(p, 'crypto_key'), 'crypto_key', 'for gcpckms'),
        version: opt(p, 'crypto_key_version'),
      },
      spec: () => ({ keyType, usages: keyUsages(usages), algorithm }),
      signing: {
        family: keyType.startsWith('rsa') ? 'rsa' : 'ecdsa',
        field: 'algorithm',
        pss: row.signature?.pss,
        canSign: true,
        keyType,
        keyTypeField: 'algorithm',
        scheme: row.signature,
      },
    };
  },
});

/**
 * A static token for a loopback endpoint (the local Azure emulator): there is no Azure AD
 * offline, the emulator accepts any bearer token, and a client secret configured for the real
 * vault must never be sent anywhere from a local run.
 */
export const LOCAL_DEV_CREDENTIAL = {
  getToken: () =>
    Promise.resolve({ token: 'keyplane-local-dev', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

export function bindBackend(type: BackendType, input: BindingInput): Binding {
  return BINDERS[type](input);
}

/**
 * createKmsBackend, plus a static token for a GCP emulator on loopback (`insecure`) so the
 * Google auth library never goes looking for metadata servers offline.
 */
export async function openWithLocalAuth(config: BackendConfig): Promise<KmsBackend> {
  if (
    config.type === 'gcpckms' &&
    config.insecure === true &&
    config.credentialsFile === undefined &&
    config.authClient === undefined
  ) {
    const { OAuth2Client } = await import('google-auth-library');
    const authClient = new OAuth2Client();
    authClient.setCredentials({
      access_token: 'keyplane-local-dev',
      expiry_date: Date.now() + 3_600_000,
    });
    return await createKmsBackend({ ...config, authClient });
  }
  return await createKmsBackend(config);
}
