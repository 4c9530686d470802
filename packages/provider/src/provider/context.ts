/**
 * The seam between the provider block and the resources: ConfigureProvider turns a checked
 * {@link ProviderConfig} into a {@link ProviderContext}, which every resource request carries.
 * Today the context holds the configuration and what Terraform told us; opening the store and
 * unsealing it land here with the key-lifecycle resources (one factory, so resources never
 * parse provider configuration themselves).
 *
 * @module
 */
import type { ProviderConfig } from './config';

export interface ProviderContext {
  readonly config: ProviderConfig;
  readonly terraformVersion: string;
  /** Terraform >= 1.11 can handle write-only attributes (`credentials_wo`). */
  readonly writeOnlyAllowed: boolean;
}

export interface ProviderContextInput {
  readonly config: ProviderConfig;
  readonly terraformVersion: string;
  readonly writeOnlyAllowed: boolean;
}

export type ProviderContextFactory = (input: ProviderContextInput) => Promise<ProviderContext>;

export const createProviderContext: ProviderContextFactory = (input) =>
  Promise.resolve({ ...input });
