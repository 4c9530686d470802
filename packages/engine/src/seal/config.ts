/**
 * Choosing a seal from configuration: a JSON object (`{"type":"pkcs11","library":…}`) or just a
 * type name, from the library, the CLI (`KEYPLANE_SEAL`) or the Terraform provider's `seal`
 * block. Parameter names are the managed-key ones of the same backend. Secret parameters may
 * come from `KEYPLANE_SEAL_<NAME>` (e.g. `KEYPLANE_SEAL_PIN`) so they stay out of files.
 *
 * The seal configuration is never read from the store itself: a store file someone can edit must
 * not be able to point Keyplane at another PKCS#11 library (which would receive the PIN).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { table } from '../algorithms/table';
import type { BackendConfig } from '../backends/configs';
import { ENV_VARIABLES, envName, readEnv } from '../env';
import type { BackendType, KeyRef, KeySpec } from '../backends/contract';
import { InvalidArgumentError, MissingParameterError, notAllowedMessage } from '../errors';
import { hostOf, LOCAL_DEV_CREDENTIAL, openWithLocalAuth } from '../managed/backend-binding';
import { isLoopbackHost } from '../backends/common/loopback';
import { validateParameters } from '../managed/parameters';
import { SEAL_TYPES, type Seal, type SealType } from './contract';
import { KmsSeal } from './kms-seal';
import { PassphraseSeal } from './passphrase';

/** The variable holding the seal configuration (the row of {@link ENV_VARIABLES}). */
export const SEAL_ENV = ENV_VARIABLES.seal.name;

export type SealParameter = string | number | boolean;
export type SealConfig = { readonly type: SealType } & Readonly<
  Record<string, SealParameter | undefined>
>;

type Params = Readonly<Record<string, SealParameter | undefined>>;

interface SealBackendRow {
  /** Accepted parameters; `true` marks a secret (never printed, may come from env). */
  readonly params: Readonly<Record<string, boolean>>;
  /** Required parameters; `[a, b]` = one of them. */
  readonly required: readonly (string | readonly string[])[];
  readonly build: (p: Params) => {
    config: BackendConfig;
    ref: KeyRef;
    spec: KeySpec;
    description: string;
  };
}

const str = (p: Params, name: string): string | undefined => {
  const v = p[name];
  return v === undefined || v === '' ? undefined : String(v);
};
const req = (p: Params, name: string): string => str(p, name) ?? '';

const AES: KeySpec = { keyType: 'aes256-gcm96', usages: ['encrypt', 'decrypt'] };

/** One row per KMS seal type (Vault's seal stanzas, with the managed-key parameter names). */
const SEAL_BACKENDS = table<Exclude<SealType, 'passphrase'>, SealBackendRow>({
  pkcs11: {
    params: { library: false, slot: false, token_label: false, pin: true, key_label: false },
    required: ['library', ['slot', 'token_label'], 'pin', 'key_label'],
    build: (p) => ({
      config: {
        type: 'pkcs11',
        library: req(p, 'library'),
        slot: str(p, 'slot'),
        tokenLabel: str(p, 'token_label'),
        pin: req(p, 'pin'),
      },
      ref: { name: req(p, 'key_label') },
      spec: AES,
      description: `pkcs11 key '${req(p, 'key_label')}' on token '${str(p, 'token_label') ?? str(p, 'slot') ?? ''}'`,
    }),
  },
  awskms: {
    params: { kms_key: false, region: false, endpoint: false, access_key: true, secret_key: true },
    required: ['kms_key'],
    build: (p) => {
      const accessKeyId = str(p, 'access_key');
      const secretAccessKey = str(p, 'secret_key');
      return {
        config: {
          type: 'awskms',
          region: str(p, 'region'),
          endpoint: str(p, 'endpoint'),
          ...(accessKeyId !== undefined && secretAccessKey !== undefined
            ? { credentials: { accessKeyId, secretAccessKey } }
            : {}),
        },
        ref: { name: req(p, 'kms_key') },
        spec: AES,
        description: `awskms key '${req(p, 'kms_key')}' in ${str(p, 'region') ?? 'the default region'}`,
      };
    },
  },
  azurekeyvault: {
    params: {
      key_name: false,
      vault_name: false,
      endpoint: false,
      resource: false,
      environment: false,
      tenant_id: false,
      client_id: false,
      client_secret: true,
      ca_file: false,
    },
    required: ['key_name', ['vault_name', 'endpoint']],
    build: (p) => {
      const endpoint = str(p, 'endpoint');
      const caFile = str(p, 'ca_file');
      return {
        config: {
          type: 'azurekeyvault',
          vaultUrl: endpoint,
          vaultName: str(p, 'vault_name'),
          resource: str(p, 'resource'),
          environment: str(p, 'environment'),
          tenantId: str(p, 'tenant_id'),
          clientId: str(p, 'client_id'),
          clientSecret: str(p, 'client_secret'),
          ...(caFile === undefined ? {} : { caPem: readFileSync(caFile, 'utf8') }),
          ...(endpoint !== undefined && isLoopbackHost(hostOf(endpoint))
            ? { credential: LOCAL_DEV_CREDENTIAL }
            : {}),
        },
        ref: { name: req(p, 'key_name') },
        spec: { keyType: 'rsa-3072', usages: ['wrap', 'unwrap'], protection: 'hsm' },
        description: `azurekeyvault key '${req(p, 'key_name')}' in ${endpoint ?? str(p, 'vault_name') ?? ''}`,
      };
    },
  },
  gcpckms: {
    params: {
      project: false,
      region: false,
      key_ring: false,
      crypto_key: false,
      endpoint: false,
      insecure: false,
      credentials: false,
    },
    required: ['key_ring', 'crypto_key'],
    build: (p) => {
      const endpoint = str(p, 'endpoint');
      const insecure = p.insecure === true || p.insecure === 'true';
      if (insecure && (endpoint === undefined || !isLoopbackHost(hostOf(endpoint)))) {
        throw new InvalidArgumentError(
          'seal insecure=true is only allowed with a loopback endpoint (local emulator)',
          { field: 'seal.insecure' },
        );
      }
      return {
        config: {
          type: 'gcpckms',
          project: str(p, 'project'),
          location: str(p, 'region'),
          keyRing: req(p, 'key_ring'),
          endpoint,
          insecure,
          credentialsFile: str(p, 'credentials'),
        },
        ref: { name: req(p, 'crypto_key') },
        spec: AES,
        description: `gcpckms key '${req(p, 'crypto_key')}' in key ring '${req(p, 'key_ring')}'`,
      };
    },
  },
});

function sealType(value: unknown): SealType {
  if (typeof value === 'string' && (SEAL_TYPES as readonly string[]).includes(value)) {
    return value as SealType;
  }
  throw new InvalidArgumentError(notAllowedMessage('seal.type', String(value), '', SEAL_TYPES), {
    field: 'seal.type',
    allowed: SEAL_TYPES,
  });
}

/**
 * Parses `KEYPLANE_SEAL` (a type name, a JSON object, or `@file` holding the JSON), filling
 * secret parameters from `KEYPLANE_SEAL_<NAME>`. undefined when neither it nor
 * `KEYPLANE_SEAL_PASSPHRASE` is set.
 */
export function sealConfigFromEnv(env: NodeJS.ProcessEnv = process.env): SealConfig | undefined {
  let raw = readEnv(ENV_VARIABLES.seal, env)?.trim();
  if (raw === undefined || raw === '') {
    const p = readEnv(ENV_VARIABLES.sealPassphrase, env);
    return p === undefined ? undefined : { type: 'passphrase' };
  }
  if (raw.startsWith('@')) raw = readFileSync(raw.slice(1), 'utf8').trim();
  let parsed: unknown = raw;
  if (raw.startsWith('{')) {
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new InvalidArgumentError(`${SEAL_ENV} is not valid JSON`, { field: SEAL_ENV });
    }
  }
  const object = (typeof parsed === 'string' ? { type: parsed } : parsed) as Record<
    string,
    unknown
  >;
  const type = sealType(object.type);
  const secrets = type === 'passphrase' ? {} : SEAL_BACKENDS[type].params;
  const fromEnv = Object.fromEntries(
    Object.entries(secrets)
      .filter(([name, secret]) => secret && object[name] === undefined)
      .map(([name]) => [name, readEnv(ENV_VARIABLES.sealParameter, env, name)])
      .filter(([, v]) => v !== undefined),
  ) as Record<string, string>;
  return { ...(object as Params), ...fromEnv, type };
}

/**
 * Seal parameters share names and meaning with managed-key parameters, so their values are
 * checked by the same rows (absolute `library` / `ca_file`, `endpoint` a URL, length limits,
 * allowed values): one set of rules, every problem reported at once, fields under `seal.`.
 */
function checkValues(type: BackendType, params: Params): void {
  const seal = (field: string | undefined) => `seal.${field ?? ''}`;
  const problems = validateParameters(type, params, {
    defaults: false,
    complete: false,
  }).diagnostics;
  const [first] = problems;
  if (first === undefined) return;
  throw new InvalidArgumentError(problems.map((p) => p.message).join('; '), {
    field: seal(first.field),
    allowed: first.allowed,
    diagnostics: problems.map((p) => ({ ...p, field: seal(p.field) })),
  });
}

/** Checks a seal configuration and opens the seal it names (no I/O until first use). */
export async function openSeal(
  config: SealConfig,
  options: { env?: NodeJS.ProcessEnv; generate?: boolean } = {},
): Promise<Seal> {
  const type = sealType(config.type);
  if (type === 'passphrase') {
    const passphrase =
      config.passphrase ??
      (options.env === undefined ? undefined : readEnv(ENV_VARIABLES.sealPassphrase, options.env));
    if (passphrase === undefined) return PassphraseSeal.require(options.env ?? process.env);
    return new PassphraseSeal(String(passphrase));
  }
  const row = SEAL_BACKENDS[type];
  const { generate_key, ...rest } = config;
  const params: Params = Object.fromEntries(Object.entries(rest).filter(([k]) => k !== 'type'));
  for (const name of Object.keys(params)) {
    if (!Object.prototype.hasOwnProperty.call(row.params, name)) {
      const allowed = [...Object.keys(row.params), 'generate_key'];
      throw new InvalidArgumentError(
        notAllowedMessage(`seal parameter`, name, `for the ${type} seal`, allowed),
        { field: `seal.${name}`, allowed },
      );
    }
  }
  checkValues(type, params);
  for (const need of row.required) {
    const names = typeof need === 'string' ? [need] : need;
    if (!names.some((n) => str(params, n) !== undefined)) {
      const hint = names.some((n) => row.params[n] === true)
        ? ` (or ${envName(ENV_VARIABLES.sealParameter, names[0])})`
        : '';
      throw new MissingParameterError(`the ${type} seal needs ${names.join(' or ')}${hint}`, {
        field: `seal.${names[0] ?? ''}`,
        allowed: names,
      });
    }
  }
  const { config: backendConfig, ref, spec, description } = row.build(params);
  const generate = options.generate === true || generate_key === true || generate_key === 'true';
  return new KmsSeal({
    type,
    backend: await openWithLocalAuth(backendConfig),
    ref,
    description,
    ...(generate ? { generate: spec } : {}),
  });
}
