/**
 * AWS KMS errors as the JSON 1.1 protocol carries them: `{"__type": "<Name>", "message": "…"}`
 * with HTTP 400 for client faults and 500 for server faults. `@aws-sdk/client-kms` maps a
 * modelled `__type` to its exception class and anything else to `KMSServiceException` whose
 * `name` is the type, so emulator-only names (ValidationException, ThrottlingException, …) still
 * surface with the name real AWS uses.
 *
 * @module
 */

/** `__type` values the emulator answers with (all exist in real AWS KMS). */
export type KmsErrorType =
  | 'AlreadyExistsException'
  | 'DisabledException'
  | 'DryRunOperationException'
  | 'ExpiredImportTokenException'
  | 'IncompleteSignatureException'
  | 'IncorrectKeyException'
  | 'IncorrectKeyMaterialException'
  | 'InvalidArnException'
  | 'InvalidCiphertextException'
  | 'InvalidImportTokenException'
  | 'InvalidKeyUsageException'
  | 'InvalidMarkerException'
  | 'InvalidSignatureException'
  | 'KMSInternalException'
  | 'KMSInvalidMacException'
  | 'KMSInvalidSignatureException'
  | 'KMSInvalidStateException'
  | 'LimitExceededException'
  | 'MissingAuthenticationTokenException'
  | 'NotAuthorizedException'
  | 'NotFoundException'
  | 'SerializationException'
  | 'TagException'
  | 'ThrottlingException'
  | 'UnknownOperationException'
  | 'UnrecognizedClientException'
  | 'UnsupportedOperationException'
  | 'ValidationException';

/** HTTP status per type; everything not listed is a 400 client fault. */
const STATUS: Partial<Record<KmsErrorType, number>> = {
  KMSInternalException: 500,
  // AWS answers a successful dry run with 412 Precondition Failed.
  DryRunOperationException: 412,
  // "Common Errors" (AWS KMS API reference): MissingAuthenticationToken is 403.
  MissingAuthenticationTokenException: 403,
};

export class KmsError extends Error {
  readonly status: number;

  constructor(
    readonly type: KmsErrorType,
    message: string,
  ) {
    super(message);
    this.name = type;
    this.status = STATUS[type] ?? 400;
  }
}

/** Shorthand used by the operations: `throw kmsError('NotFoundException', '…')`. */
export function kmsError(type: KmsErrorType, message: string): KmsError {
  return new KmsError(type, message);
}

/** AWS's wording for a constraint failure on one request member. */
export function validationError(
  member: string,
  value: string | number | undefined,
  constraint: string,
): KmsError {
  const shown = value === undefined ? 'null' : `'${String(value)}'`;
  return new KmsError(
    'ValidationException',
    `1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

export interface WireError {
  readonly status: number;
  readonly body: { readonly __type: string; readonly message: string };
}

/** Turns anything thrown by an operation into the wire form; unexpected errors become 500s. */
export function toWireError(e: unknown): WireError {
  if (e instanceof KmsError)
    return { status: e.status, body: { __type: e.type, message: e.message } };
  const message = e instanceof Error ? e.message : String(e);
  return { status: 500, body: { __type: 'KMSInternalException', message } };
}
