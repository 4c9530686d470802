/**
 * Azure Key Vault / Managed HSM BYOK: the `.byok` transfer document for `key_hsm` in the import
 * request (https://learn.microsoft.com/azure/key-vault/keys/byok-specification):
 * `{schema_version, header: {kid, alg: "dir", enc: "CKM_RSA_AES_KEY_WRAP"}, ciphertext, generator}`
 * with `ciphertext` = base64url(RSA-OAEP-SHA1(KEK, K) ‖ AES-KWP(K, key)). The KEK is an RSA-HSM
 * key with `key_ops: ["import"]` in the same vault; `kid` must be its full versioned id.
 *
 * @module
 */
import { AZURE_SERVICES, type AzureService } from '../algorithms/clouds';
import { InvalidArgumentError, MissingParameterError, notAllowedMessage } from '../errors';
import { isTokenKey } from '../crypto/token-key';
import {
  wrapForProvider,
  wrapTransfer,
  type ByokWrapParameters,
  type ByokWrapResult,
  type TransferWrapParameters,
} from './wrap';

export const AZURE_WRAPPING_ALGORITHM = 'CKM_RSA_AES_KEY_WRAP';
export const AZURE_BYOK_SCHEMA_VERSION = '1.0.0';
const KEYPLANE_GENERATOR = 'Keyplane BYOK 0.1.0; software (node:crypto / OpenSSL)';
/** The spec's `generator` names the source HSM for HSM-made blobs. */
const TOKEN_GENERATOR = 'Keyplane BYOK 0.1.0; PKCS#11 token (C_WrapKey)';

export interface AzureByokDocument {
  readonly schema_version: string;
  readonly header: {
    readonly kid: string;
    readonly alg: 'dir';
    readonly enc: 'CKM_RSA_AES_KEY_WRAP';
  };
  readonly ciphertext: string;
  readonly generator: string;
}

export interface AzureByokParameters extends ByokWrapParameters {
  /** Full versioned key id of the KEK, e.g. `https://v.vault.azure.net/keys/kek/0123…`. */
  readonly kid?: string | undefined;
  /** `vault` (Key Vault Premium) or `managed-hsm`; inferred from the kid host when omitted. */
  readonly azureService?: AzureService | undefined;
  /** The `generator` field; defaults to Keyplane's own name and version. */
  readonly generator?: string | undefined;
}

export interface AzureByokResult extends ByokWrapResult {
  readonly kid: string;
  readonly azureService: AzureService;
  /** `kty` for the import request: `RSA-HSM`, `EC-HSM` or `oct-HSM`. */
  readonly kty: string;
  /** `crv` for EC-HSM imports. */
  readonly crv?: string;
  readonly document: AzureByokDocument;
}

const KID_PATH = /^\/keys\/[0-9A-Za-z-]{1,127}\/[0-9A-Za-z]{1,64}$/;

/**
 * Checks the kid is a full *versioned* key URL and infers the service from its host
 * (`<name>.managedhsm.azure.net` and its sovereign-cloud twins are Managed HSM).
 */
function parseKid(kid: string | undefined): { kid: string; inferred: AzureService } {
  if (kid === undefined || kid.trim() === '') {
    throw new MissingParameterError(
      'kid is required for Azure BYOK: the full versioned key id of the KEK (an RSA-HSM key with key_ops ["import"])',
      { field: 'kid' },
    );
  }
  let url: URL;
  try {
    url = new URL(kid);
  } catch {
    throw new InvalidArgumentError(
      `kid '${kid}' is not a URL; expected https://<vault>/keys/<name>/<version>`,
      {
        field: 'kid',
      },
    );
  }
  if (
    !['https:', 'http:'].includes(url.protocol) ||
    !KID_PATH.test(url.pathname.replace(/\/$/, ''))
  ) {
    throw new InvalidArgumentError(
      `kid '${kid}' must be a versioned key id: https://<vault>/keys/<name>/<version>`,
      { field: 'kid' },
    );
  }
  return { kid, inferred: url.hostname.split('.')[1] === 'managedhsm' ? 'managed-hsm' : 'vault' };
}

function checkService(service: string): AzureService {
  if (!(AZURE_SERVICES as readonly string[]).includes(service)) {
    throw new InvalidArgumentError(notAllowedMessage('azureService', service, '', AZURE_SERVICES), {
      field: 'azureService',
      allowed: AZURE_SERVICES,
    });
  }
  return service as AzureService;
}

export function wrapForAzure(params: AzureByokParameters): AzureByokResult {
  const { kid, azureService } = kidAndService(params);
  return envelope(
    params,
    kid,
    azureService,
    wrapForProvider('azurekeyvault', params, AZURE_WRAPPING_ALGORITHM, azureService),
  );
}

/** wrapForAzure for software material or a PKCS#11 token key (HSM origin). */
export async function wrapTransferForAzure(
  params: Omit<AzureByokParameters, 'key'> & TransferWrapParameters,
): Promise<AzureByokResult> {
  const { kid, azureService } = kidAndService(params);
  const result = await wrapTransfer(
    'azurekeyvault',
    params,
    AZURE_WRAPPING_ALGORITHM,
    azureService,
  );
  const generator = params.generator ?? (isTokenKey(params.key) ? TOKEN_GENERATOR : undefined);
  return envelope({ generator }, kid, azureService, result);
}

function kidAndService(params: Pick<AzureByokParameters, 'kid' | 'azureService'>): {
  kid: string;
  azureService: AzureService;
} {
  const { kid, inferred } = parseKid(params.kid);
  return { kid, azureService: checkService(params.azureService ?? inferred) };
}

function envelope(
  params: Pick<AzureByokParameters, 'generator'>,
  kid: string,
  azureService: AzureService,
  result: ByokWrapResult,
): AzureByokResult {
  const document: AzureByokDocument = {
    schema_version: AZURE_BYOK_SCHEMA_VERSION,
    header: { kid, alg: 'dir', enc: 'CKM_RSA_AES_KEY_WRAP' },
    ciphertext: result.blob.toString('base64url'),
    generator: params.generator ?? KEYPLANE_GENERATOR,
  };
  const [kty = result.cloudSpec, crv] = result.cloudSpec.split(' ');
  return {
    ...result,
    blob: Buffer.from(JSON.stringify(document)),
    kid,
    azureService,
    kty,
    ...(crv !== undefined && kty === 'EC-HSM' ? { crv } : {}),
    document,
  };
}
