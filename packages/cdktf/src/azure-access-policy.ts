/**
 * The Key Vault access policy Keyplane needs to import keys: the minimum key permissions
 * (create, delete, get, import, update — Azure's "Key Vault BYOK" import path), as an
 * `azurerm_key_vault_access_policy`. Written as a plain TerraformResource so it synthesizes with
 * either core: the azurerm bindings are built for cdktf only.
 *
 * @module
 */
import { TerraformResource } from 'cdktf';
import type { Construct } from 'constructs';

/** azurerm's spelling of the key permissions Keyplane uses. */
export const KEYPLANE_KEY_PERMISSIONS: readonly string[] = [
  'Create',
  'Delete',
  'Get',
  'Import',
  'Update',
];

/** Who Keyplane runs as in Azure AD. */
export interface KeyplaneAccessGrant {
  readonly tenantId: string;
  /** Object id of the service principal (or managed identity) Keyplane's credentials belong to. */
  readonly objectId: string;
}

export function keyplaneAccessPolicy(
  scope: Construct,
  id: string,
  keyVaultId: string,
  grant: KeyplaneAccessGrant,
): TerraformResource {
  const policy = new TerraformResource(scope, id, {
    terraformResourceType: 'azurerm_key_vault_access_policy',
  });
  policy.addOverride('key_vault_id', keyVaultId);
  policy.addOverride('tenant_id', grant.tenantId);
  policy.addOverride('object_id', grant.objectId);
  policy.addOverride('key_permissions', [...KEYPLANE_KEY_PERMISSIONS]);
  return policy;
}
