/**
 * `@keyplane/cdktf` — CDKTF constructs for Keyplane (built a second time as `@keyplane/cdktn`).
 *
 * @module
 */
import { provider } from '@keyplane/cdktf/gen';

export const KeyplaneProvider = provider.KeyplaneProvider;
