/**
 * A key's `origin` as Terraform spells it — `software`, or the id (name) of a pkcs11
 * `keyplane_kms` — and as the engine spells it (`software`, `hsm:<name>`): shared by
 * `keyplane_key` and `provider::keyplane::compatible`, so both accept the same values.
 *
 * @module
 */

/** `software` or a `keyplane_kms` id: the name rules of a connection. */
export const ORIGIN_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9-]{0,62}$/;

/** What {@link ORIGIN_PATTERN} accepts, for error messages. */
export const ORIGIN_VALUES = '`software` or a pkcs11 `keyplane_kms` id';

const HSM_ORIGIN = 'hsm:';

/** Terraform's origin → the engine's (`token` → `hsm:token`). */
export const engineOrigin = (origin: string | undefined): string | undefined =>
  origin === undefined || origin === 'software' ? origin : `${HSM_ORIGIN}${origin}`;

/** The engine's origin → Terraform's (`hsm:token` → `token`). */
export const terraformOrigin = (origin: string): string =>
  origin.startsWith(HSM_ORIGIN) ? origin.slice(HSM_ORIGIN.length) : origin;
