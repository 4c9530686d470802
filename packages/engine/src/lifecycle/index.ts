/**
 * The key lifecycle (Vault KMSE `keymgmt/`): KMS connections, central keys, distribution.
 *
 * @module
 */
export { LifecycleContext, type LifecycleOptions } from './context';
export { KmsConnectionClient, type KmsConnectionInput } from './connections';
export {
  KeyClient,
  type KeyCreateInput,
  type KeyUpdateInput,
  type RotateDueOptions,
  type RotateDueResult,
} from './keys';
export { Distributions, type DistributeInput } from './distributions';
export { CONNECTION_OPTIONS } from './connection-config';
export type { DistributionView, KeyVersionView, KeyView, KmsView } from './records';
export type { Drift, DriftKind, ReconcileReport } from './reconcile';
export {
  HSM_ORIGIN_KEY_TYPES,
  HSM_ORIGIN_TARGETS,
  ORIGIN_FORMS,
  checkOrigin,
  checkOriginTarget,
} from './origin-rules';
