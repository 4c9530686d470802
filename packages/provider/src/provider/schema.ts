/**
 * The `provider "keyplane"` block (names are a contract: DESIGN.md "Terraform surface").
 *
 * @module
 */
import {
  DEFAULT_STORE_PATH,
  ENV_VARIABLES,
  NAMESPACE_PATTERN,
  NAMESPACE_RULE,
  ROOT_NAMESPACE,
} from '@keyplane/engine/env';
import type { Schema } from '../framework/schema';
import { oneOf } from '../framework/validators/one-of';
import { stringMatches } from '../framework/validators/string-matches';
import { types } from '../protocol/cty/types';

export const SEAL_TYPES = ['passphrase', 'pkcs11', 'awskms', 'azurekeyvault', 'gcpckms'] as const;
export type SealType = (typeof SEAL_TYPES)[number];

export const providerSchema: Schema = {
  description:
    'The Keyplane provider manages central keys, their BYOK distribution to AWS KMS, Azure Key Vault / Managed HSM and Google Cloud KMS, and managed keys that stay in a KMS or HSM. All state lives in a Keyplane store whose secrets are sealed.',
  attributes: {
    store: {
      type: types.string,
      optional: true,
      description: `Where Keyplane keeps its records: \`sqlite:///absolute/path.db\`, a file path (relative paths are resolved against the directory Terraform runs in; for a cdktf stack that is \`cdktf.out/stacks/<stack>\`), or \`postgres://user@host/db\`. Default: \`${ENV_VARIABLES.store.name}\`, else \`${DEFAULT_STORE_PATH}\`.`,
    },
    namespace: {
      type: types.string,
      optional: true,
      description: `Namespace every record of this configuration lives in; names are unique per namespace. Default: \`${ENV_VARIABLES.namespace.name}\`, else \`${ROOT_NAMESPACE}\`.`,
      validators: [stringMatches(NAMESPACE_PATTERN, NAMESPACE_RULE)],
    },
    actor: {
      type: types.string,
      optional: true,
      description: `Who acts, as recorded in every audit entry this configuration writes. Default: \`${ENV_VARIABLES.actor.name}\`, else \`terraform:<OS user>@<host>\`.`,
    },
    policy: {
      type: types.string,
      optional: true,
      description: `Organization key policy checked at plan and at apply: an inline JSON document, or the path of a JSON file relative to the working directory. Default: \`${ENV_VARIABLES.policy.name}\` (the variable the CLI reads too), in the same forms; neither set: no policy is enforced.`,
    },
  },
  blocks: {
    seal: {
      nesting: 'single',
      block: {
        description: `How the store's data key is sealed. Default: \`passphrase\`, with the passphrase from \`${ENV_VARIABLES.sealPassphrase.name}\`. The provider refuses to start without a usable seal; it never invents one.`,
        attributes: {
          type: {
            type: types.string,
            required: true,
            description: `Seal type: ${SEAL_TYPES.map((t) => `\`${t}\``).join(', ')}.`,
            validators: [oneOf(...SEAL_TYPES)],
          },
          passphrase: {
            type: types.string,
            optional: true,
            sensitive: true,
            description: `\`passphrase\` seal: the passphrase (prefer \`${ENV_VARIABLES.sealPassphrase.name}\` so it stays out of configuration files).`,
          },
          parameters: {
            type: types.map(types.string),
            optional: true,
            sensitive: true,
            description:
              'Parameters of a KMS/HSM seal, as for a managed key of that type (e.g. `region` and `kms_key_id` for `awskms`; `library`, `slot` or `token_label`, `pin` and `key_label` for `pkcs11`).',
          },
        },
      },
    },
    endpoint: {
      nesting: 'single',
      block: {
        description:
          'Endpoint overrides per cloud, e.g. for the local emulators of `keyplane dev up`. A loopback endpoint is treated as an emulator: no credentials are sent to a cloud identity service.',
        attributes: {
          awskms: { type: types.string, optional: true, description: 'AWS KMS endpoint URL.' },
          azurekeyvault: {
            type: types.string,
            optional: true,
            description: 'Azure Key Vault / Managed HSM URL.',
          },
          azure_ca_file: {
            type: types.string,
            optional: true,
            description: "PEM CA bundle trusted for the Azure endpoint (the emulator's local CA).",
          },
          gcpckms: {
            type: types.string,
            optional: true,
            description: 'Google Cloud KMS endpoint, `host:port`.',
          },
          gcp_insecure: {
            type: types.bool,
            optional: true,
            description: 'Plaintext gRPC to the GCP endpoint (loopback only).',
          },
        },
      },
    },
  },
};
