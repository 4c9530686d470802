/**
 * Slot selection by decimal slot id or token label. pkcs11js slot handles are CK_SLOT_ID
 * buffers (unsigned long, little-endian on the platforms we run on); SoftHSM reassigns a token
 * to a random 32-bit id at init time, so ids are compared as BigInt, never as list indices.
 *
 * @module
 */
import * as pkcs11js from 'pkcs11js';
import { InvalidArgumentError, MissingParameterError, NotFoundError } from '../../errors';

export interface SelectedSlot {
  readonly handle: Buffer;
  /** Decimal slot id. */
  readonly id: string;
  readonly label: string;
}

/** Reads a CK_SLOT_ID / CK_ULONG handle buffer as an unsigned integer. */
export function handleToBigInt(handle: Buffer): bigint {
  if (handle.length >= 8) return handle.readBigUInt64LE(0);
  return BigInt(handle.readUInt32LE(0));
}

interface TokenSlot {
  readonly handle: Buffer;
  readonly id: bigint;
  readonly label: string;
  readonly initialized: boolean;
}

function listSlots(pkcs11: pkcs11js.PKCS11): TokenSlot[] {
  return pkcs11.C_GetSlotList(true).map((handle) => {
    const info = pkcs11.C_GetTokenInfo(handle);
    return {
      handle,
      id: handleToBigInt(handle),
      // CK_TOKEN_INFO.label is blank-padded to 32 characters.
      label: info.label.trim(),
      initialized: (info.flags & pkcs11js.CKF_TOKEN_INITIALIZED) !== 0,
    };
  });
}

type SlotConfig = { readonly slot?: string | undefined; readonly tokenLabel?: string | undefined };

/**
 * Picks the configured slot; refusals list the token labels (labels are not secret). A token
 * that is not found may still appear after the module rescans its tokens (see `rescanModule`):
 * `rescan` does that and answers whether it did, and the slot list is then read once more.
 */
export function selectSlot(
  pkcs11: pkcs11js.PKCS11,
  config: SlotConfig,
  rescan: () => boolean = () => false,
): SelectedSlot {
  try {
    return selectFrom(listSlots(pkcs11), config);
  } catch (error) {
    if (!(error instanceof NotFoundError) || !rescan()) throw error;
    return selectFrom(listSlots(pkcs11), config);
  }
}

function selectFrom(slots: readonly TokenSlot[], config: SlotConfig): SelectedSlot {
  const labels = slots.filter((s) => s.initialized).map((s) => s.label);
  const choices = labels.length === 0 ? 'none' : labels.join(', ');
  let found: TokenSlot | undefined;
  if (config.slot !== undefined) {
    if (!/^\d{1,20}$/.test(config.slot)) {
      throw new InvalidArgumentError(`slot '${config.slot}' must be a decimal slot id`, {
        field: 'slot',
      });
    }
    const wanted = BigInt(config.slot);
    found = slots.find((s) => s.id === wanted);
    if (found === undefined) {
      throw new NotFoundError(
        `slot '${config.slot}' has no token; available token labels: ${choices}`,
        { field: 'slot', allowed: labels },
      );
    }
    if (config.tokenLabel !== undefined && found.label !== config.tokenLabel) {
      throw new NotFoundError(
        `token_label '${config.tokenLabel}' does not match the token in slot ${config.slot} ('${found.label}')`,
        { field: 'token_label', allowed: labels },
      );
    }
  } else if (config.tokenLabel !== undefined) {
    found = slots.find((s) => s.initialized && s.label === config.tokenLabel);
    if (found === undefined) {
      throw new NotFoundError(
        `token_label '${config.tokenLabel}' not found; available token labels: ${choices}`,
        { field: 'token_label', allowed: labels },
      );
    }
  } else {
    throw new MissingParameterError(
      `either slot or token_label is required; available token labels: ${choices}`,
      { field: 'token_label', allowed: labels },
    );
  }
  if (!found.initialized) {
    throw new NotFoundError(
      `slot ${String(found.id)} holds an uninitialized token; initialize it first (softhsm2-util --init-token) or use one of: ${choices}`,
      { field: 'slot', allowed: labels },
    );
  }
  return { handle: found.handle, id: String(found.id), label: found.label };
}
