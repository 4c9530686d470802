/**
 * Which core this test run uses: the `cdktn` jest project maps the import `cdktf` to cdktn (the
 * same switch packages/cdktf/scripts/build-cdktn.mjs makes for the @keyplane/cdktn build).
 */
import * as core from 'cdktf';

export type Flavor = 'cdktf' | 'cdktn';

/** cdktn (CDK Terrain) adds TerraformProviderFunction; cdktf 0.21 has none. */
export const FLAVOR: Flavor = 'TerraformProviderFunction' in core ? 'cdktn' : 'cdktf';

/** The construct package built for this core. */
export const PACKAGE = FLAVOR === 'cdktn' ? '@keyplane/cdktn' : '@keyplane/cdktf';
