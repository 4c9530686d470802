/**
 * `SigningKey`: Vault Transit's `type=managed_key` key over a {@link IManagedKey}
 * (`keyplane_signing_key`): versioned signatures whose versions each pin the backend key.
 *
 * @module
 */
import { signingKey } from '@keyplane/cdktf/gen';
import { Construct } from 'constructs';
import type { IManagedKey } from './managed-key';

export interface SigningKeyProps {
  /** Name, unique in the namespace. Changing it replaces the signing key. */
  readonly name: string;
  /** The managed key that signs. Changing it replaces the signing key. */
  readonly managedKey: IManagedKey;
  /** Managed keys usable without their `anyMount`. @default - only managedKey, if it allows any mount */
  readonly allowedManagedKeys?: readonly IManagedKey[];
  /** Any change makes one new version (see `rotateTrigger` on the resource). @default - no rotation */
  readonly rotateTrigger?: string;
}

export class SigningKey extends Construct {
  /** The L1 resource, for escape hatches. */
  readonly resource: signingKey.SigningKey;

  constructor(scope: Construct, id: string, props: SigningKeyProps) {
    super(scope, id);
    this.resource = new signingKey.SigningKey(this, 'Resource', {
      name: props.name,
      managedKey: props.managedKey.managedKeyName,
      ...(props.allowedManagedKeys === undefined
        ? {}
        : { allowedManagedKeys: props.allowedManagedKeys.map((k) => k.managedKeyName) }),
      ...(props.rotateTrigger === undefined ? {} : { rotateTrigger: props.rotateTrigger }),
    });
  }

  get signingKeyName(): string {
    return this.resource.id;
  }

  /** Latest version number (computed). */
  get latestVersion(): number {
    return this.resource.latestVersion;
  }
}
