/**
 * A KMS connection's settings → the backend config: one row per provider naming the credential
 * keys and options it accepts (refusals list them) and how they map onto the backend. The
 * key_collection is the provider's natural container: AWS region, Azure vault (or Managed HSM)
 * name, GCP key ring resource id, PKCS#11 token label.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { isLoopbackHost } from '../backends/common/loopback';
import type { BackendConfig } from '../backends/configs';
import { BACKEND_TYPES, type BackendType } from '../backends/contract';
import {
  InvalidArgumentError,
  MissingParameterError,
  UnsupportedTargetError,
  notAllowedMessage,
} from '../errors';
import { lookup, table } from '../algorithms/table';
import { azureServiceOf } from './compatibility';
import { GCP_KEY_RING, checkKeyCollection } from './key-collections';
import { LOCAL_DEV_CREDENTIAL, hostOf } from '../managed/backend-binding';

export interface ConnectionSettings {
  readonly provider: BackendType;
  readonly key_collection: string;
  readonly options: Readonly<Record<string, string>>;
  readonly credentials: Readonly<Record<string, string>>;
}

interface ProviderRow {
  readonly credentials: readonly string[];
  readonly options: readonly string[];
  readonly config: (s: ConnectionSettings) => BackendConfig;
}

const opt = (s: ConnectionSettings, name: string): string | undefined => {
  const v = s.options[name];
  return v === undefined || v === '' ? undefined : v;
};

const loopback = (endpoint: string | undefined): boolean =>
  endpoint !== undefined && isLoopbackHost(hostOf(endpoint));

const PROVIDERS = table<BackendType, ProviderRow>({
  awskms: {
    credentials: ['access_key', 'secret_key', 'session_token'],
    options: ['endpoint'],
    config: (s) => {
      const { access_key: accessKeyId, secret_key: secretAccessKey } = s.credentials;
      if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
        const field =
          accessKeyId === undefined ? 'credentials.access_key' : 'credentials.secret_key';
        throw new MissingParameterError(`${field} is required when the other AWS key is given`, {
          field,
        });
      }
      return {
        type: 'awskms',
        region: s.key_collection,
        endpoint: opt(s, 'endpoint'),
        credentials:
          accessKeyId === undefined || secretAccessKey === undefined
            ? undefined
            : { accessKeyId, secretAccessKey, sessionToken: s.credentials.session_token },
      };
    },
  },
  azurekeyvault: {
    credentials: ['client_id', 'client_secret', 'tenant_id'],
    options: ['endpoint', 'environment', 'resource', 'service', 'ca_file'],
    config: (s) => {
      const endpoint = opt(s, 'endpoint');
      const caFile = opt(s, 'ca_file');
      return {
        type: 'azurekeyvault',
        vaultUrl: endpoint,
        vaultName: s.key_collection,
        resource: opt(s, 'resource'),
        service: azureServiceOf(s.options),
        environment: opt(s, 'environment'),
        tenantId: s.credentials.tenant_id,
        clientId: s.credentials.client_id,
        clientSecret: s.credentials.client_secret,
        caPem: caFile === undefined ? undefined : readFileSync(caFile, 'utf8'),
        credential: loopback(endpoint) ? LOCAL_DEV_CREDENTIAL : undefined,
      };
    },
  },
  gcpckms: {
    credentials: ['service_account_file'],
    options: ['endpoint'],
    config: (s) => {
      const [, project, location, keyRing = ''] = GCP_KEY_RING.exec(s.key_collection) ?? [];
      const endpoint = opt(s, 'endpoint');
      return {
        type: 'gcpckms',
        project,
        location,
        keyRing,
        endpoint,
        // Plaintext gRPC only to a loopback emulator (the backend refuses it elsewhere).
        insecure: loopback(endpoint),
        credentialsFile: s.credentials.service_account_file,
      };
    },
  },
  pkcs11: {
    credentials: ['pin'],
    options: ['library'],
    config: (s) => {
      const library = opt(s, 'library');
      const pin = s.credentials.pin;
      if (library === undefined)
        throw new MissingParameterError('library is required for pkcs11', { field: 'library' });
      if (pin === undefined)
        throw new MissingParameterError('credentials.pin is required for pkcs11', {
          field: 'credentials.pin',
        });
      return { type: 'pkcs11', library, tokenLabel: s.key_collection, pin };
    },
  },
});

/** The provider row, or ERR_UNSUPPORTED_TARGET naming the four providers. */
export function providerOf(name: string, field = 'provider'): BackendType {
  if (lookup(PROVIDERS, name) === undefined) {
    throw new UnsupportedTargetError(notAllowedMessage(field, name, '', BACKEND_TYPES), {
      field,
      allowed: BACKEND_TYPES,
    });
  }
  return name as BackendType;
}

/** Refuses unknown credential keys / options and a malformed key_collection, naming the allowed. */
export function checkSettings(s: ConnectionSettings): void {
  const row = PROVIDERS[s.provider];
  checkKeyCollection(s.provider, s.key_collection);
  const unknown = (names: readonly string[], allowed: readonly string[], field: string): void => {
    const bad = names.find((n) => !allowed.includes(n));
    if (bad !== undefined) {
      const allowedNames = allowed.map((a) => (field === '' ? a : `${field}.${a}`));
      const name = field === '' ? bad : `${field}.${bad}`;
      throw new InvalidArgumentError(
        notAllowedMessage(name, bad, `for ${s.provider}`, allowedNames).replace(
          `${name} '${bad}'`,
          `'${name}'`,
        ),
        {
          field: name,
          allowed: allowedNames,
        },
      );
    }
  };
  unknown(Object.keys(s.credentials), row.credentials, 'credentials');
  unknown(Object.keys(s.options), row.options, '');
  row.config(s);
}

export function backendConfigOf(s: ConnectionSettings): BackendConfig {
  return PROVIDERS[s.provider].config(s);
}

export const CONNECTION_OPTIONS: readonly string[] = [
  ...new Set(Object.values(PROVIDERS).flatMap((r) => r.options)),
];
