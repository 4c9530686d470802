/**
 * Key Vault's published throttling limits ("maximum transactions allowed in 10 seconds, per
 * vault per region", learn.microsoft.com/azure/key-vault/general/service-limits) as quota groups
 * for the shared RateLimiter, and the mapping from a request to its group.
 *
 * Simplification: the service weights transactions by key type and enforces the weighted sum
 * (one RSA-4096 HSM op costs 8 RSA-2048 HSM ops); here each key type has its own independent
 * window. The Managed HSM preset reuses the vault table.
 *
 * @module
 */
import type { QuotaRule, QuotaTable } from '../common/rate-limiter';
import { KTYS } from './jwk';
import type { KeyVersion } from './store';

const per10s = (limit: number): QuotaRule => ({ limit, windowSeconds: 10 });

/** Group names: `<hsm|software>-create`, `<hsm|software>-<rsa-2048|…|ec>`, `vault`. */
export const REAL_QUOTAS: QuotaTable = {
  'hsm-create': per10s(10),
  'software-create': per10s(20),
  'hsm-rsa-2048': per10s(2000),
  'hsm-rsa-3072': per10s(500),
  'hsm-rsa-4096': per10s(250),
  'hsm-ec': per10s(2000),
  'software-rsa-2048': per10s(4000),
  'software-rsa-3072': per10s(1000),
  'software-rsa-4096': per10s(500),
  'software-ec': per10s(4000),
  // Calls that name no key (list keys, deleted-key operations): "all other transactions".
  vault: per10s(4000),
};

export type QuotaOption = 'real' | 'off' | QuotaTable;

export function quotaTable(option: QuotaOption | undefined): QuotaTable {
  if (option === undefined || option === 'off') return {};
  return option === 'real' ? REAL_QUOTAS : option;
}

const protection = (hsm: boolean): string => (hsm ? 'hsm' : 'software');

/** Group for CREATE (and import, which the service counts as a create). */
export const createGroup = (hsm: boolean): string => `${protection(hsm)}-create`;

/** Group for every other call on one key version (get, update, crypto). */
export function keyGroup(v: KeyVersion): string {
  const { hsm } = KTYS[v.kty];
  const m = v.material;
  // oct keys exist only in Managed HSM, whose AES limits are not in the vault table.
  const type = m.family === 'RSA' ? `rsa-${m.bits}` : m.family === 'EC' ? 'ec' : 'oct';
  return `${protection(hsm)}-${type}`;
}

export const VAULT_GROUP = 'vault';
