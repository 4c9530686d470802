/**
 * `@keyplane/engine/lifecycle-rules` — the pure checks of the key lifecycle, without the store,
 * the backends or any cloud SDK: what the engine's create/distribute run before anything
 * changes, exported for callers that check ahead of time (CDKTF synth, the provider's plan).
 * The same functions as the main entry point exports.
 *
 * @module
 */
export {
  AZURE_SERVICES,
  PROTECTIONS,
  PURPOSES,
  type AzureService,
  type Protection,
  type Purpose,
} from '../algorithms/clouds';
export { KEY_TYPE_NAMES, type KeyTypeName } from '../algorithms/key-types';
export { BACKEND_TYPES, type BackendType } from '../backends/contract';
export { cloudKeyName } from './cloud-names';
export { DEFAULT_PROTECTION, azureServiceOf, checkCompatible } from './compatibility';
export {
  checkDistributionTarget,
  refuseDistributionTarget,
  type DistributionTarget,
} from './distribution-target';
export { checkKeyCollection } from './key-collections';
export { checkName } from './names';
export {
  HSM_ORIGIN_KEY_TYPES,
  HSM_ORIGIN_TARGETS,
  ORIGIN_FORMS,
  checkOrigin,
  checkOriginTarget,
} from './origin-rules';
