/**
 * Import jobs and ImportCryptoKeyVersion: Create/Get/List ImportJob (RSA wrapping key per job,
 * ACTIVE at once, expiring after 3 days like the service) and the unwrap + material checks of
 * an import, optionally into an existing DESTROYED / IMPORT_FAILED version.
 *
 * Status codes: malformed request input (wrong blob length, direct method with an asymmetric
 * key, algorithm not fitting the key) is INVALID_ARGUMENT; a resource in the wrong state
 * (expired job, protection-level mismatch between job and key, version not re-importable) is
 * FAILED_PRECONDITION. Material that cannot be unwrapped or does not fit the algorithm is not
 * an error of the call: the version becomes IMPORT_FAILED.
 *
 * @module
 */
import { checkAlgorithmFitsPurpose, isSymmetric } from './algorithms';
import type { Operation, OperationContext } from './context';
import { alreadyExists, failedPrecondition, invalidArgument } from './errors';
import { paginate, type ListRequest } from './list-query';
import { checkImportedMaterial, fingerprint } from './material';
import { checkId, locationOf } from './names';
import { checkProtectionLevel } from './operations-keys';
import type { ImportJobRecord, VersionRecord } from './store';
import {
  ImportFailure,
  checkWrappedLength,
  generateJobKey,
  importMethodSpec,
  unwrapKeyMaterial,
} from './unwrap';
import { importJobView, versionView } from './views';

/** Import jobs expire 3 days after creation (resources.proto ImportJob.expire_time). */
const IMPORT_JOB_LIFETIME_MS = 3 * 24 * 3600 * 1000;

const createImportJob = async (
  req: {
    parent: string;
    importJobId: string;
    importJob: { importMethod: string; protectionLevel: string } | null;
  },
  { store }: OperationContext,
) => {
  store.keyRing(req.parent);
  checkId(req.importJobId, 'import_job_id');
  const input = req.importJob;
  if (input === null || input.importMethod === 'IMPORT_METHOD_UNSPECIFIED')
    throw invalidArgument('import_job.import_method is required.');
  const method = importMethodSpec(input.importMethod);
  if (input.protectionLevel === 'PROTECTION_LEVEL_UNSPECIFIED')
    throw invalidArgument('import_job.protection_level is required.');
  const protectionLevel = checkProtectionLevel(
    input.protectionLevel,
    'import_job.protection_level',
  );
  const name = `${req.parent}/importJobs/${req.importJobId}`;
  if (store.importJobs.has(name)) throw alreadyExists(name);
  const keys = await generateJobKey(method);
  const now = store.now();
  const record: ImportJobRecord = {
    name,
    importMethod: input.importMethod,
    protectionLevel,
    createTime: now,
    expireTime: now + IMPORT_JOB_LIFETIME_MS,
    ...keys,
  };
  return importJobView(store.add(store.importJobs, record), store);
};

const getImportJob = (req: { name: string }, { store }: OperationContext) =>
  importJobView(store.importJob(req.name), store);

const listImportJobs = (req: ListRequest, { store }: OperationContext) => {
  store.keyRing(req.parent);
  const views = store.listImportJobs(req.parent).map((j) => importJobView(j, store));
  const page = paginate(views, req);
  return { importJobs: page.items, nextPageToken: page.nextPageToken, totalSize: page.totalSize };
};

interface ImportRequest {
  readonly parent: string;
  readonly cryptoKeyVersion: string;
  readonly algorithm: string;
  readonly importJob: string;
  readonly wrappedKey: Buffer;
  readonly rsaAesWrappedKey?: Buffer;
}

/** The version named by `crypto_key_version`, checked to be a valid re-import target. */
function reimportTarget(
  { store }: OperationContext,
  req: ImportRequest,
): VersionRecord | undefined {
  if (req.cryptoKeyVersion === '') return undefined;
  const target = store.version(req.cryptoKeyVersion);
  if (!target.name.startsWith(`${req.parent}/cryptoKeyVersions/`))
    throw invalidArgument(`crypto_key_version ${target.name} is not a version of ${req.parent}.`);
  if (!target.imported)
    throw failedPrecondition(
      `CryptoKeyVersion ${target.name} was not created by ImportCryptoKeyVersion and cannot be re-imported.`,
    );
  if (target.state !== 'DESTROYED' && target.state !== 'IMPORT_FAILED')
    throw failedPrecondition(
      `CryptoKeyVersion ${target.name} is in state ${target.state}; re-import needs DESTROYED or IMPORT_FAILED.`,
    );
  if (target.algorithm !== req.algorithm)
    throw invalidArgument(
      `algorithm ${req.algorithm} does not match the algorithm ${target.algorithm} of ${target.name}.`,
    );
  return target;
}

function wrappedBlob(req: ImportRequest): Buffer {
  const legacy = req.rsaAesWrappedKey ?? Buffer.alloc(0);
  if (req.wrappedKey.length > 0 && legacy.length > 0)
    throw invalidArgument('Only one of wrapped_key and rsa_aes_wrapped_key may be set.');
  const blob = req.wrappedKey.length > 0 ? req.wrappedKey : legacy;
  if (blob.length === 0) throw invalidArgument('wrapped_key is required.');
  return blob;
}

/** Unwraps and checks the material; the outcome the version settles to. */
function importOutcome(
  job: ImportJobRecord,
  spec: ReturnType<typeof checkAlgorithmFitsPurpose>,
  blob: Buffer,
  target: VersionRecord | undefined,
): { material: string; fingerprint: string } | { failure: string } {
  try {
    const method = importMethodSpec(job.importMethod);
    const material = checkImportedMaterial(
      spec,
      unwrapKeyMaterial(method, job.privateKeyPem, blob),
    );
    const print = fingerprint(material);
    if (target?.fingerprint !== undefined && target.fingerprint !== print)
      throw new ImportFailure(
        `the key material differs from the material previously held by ${target.name}; a re-import must be identical.`,
      );
    return { material, fingerprint: print };
  } catch (e) {
    if (e instanceof ImportFailure) return { failure: e.message };
    throw e;
  }
}

/**
 * ImportCryptoKeyVersion. Request checks (resources, states, algorithm, blob length) answer
 * at once; the import itself is asynchronous as in the service: the version is PENDING_IMPORT
 * and settles `importSettleMs` later to ENABLED, or to IMPORT_FAILED with an
 * import_failure_reason when the material cannot be unwrapped or does not fit the algorithm.
 */
const importVersion = (req: ImportRequest, ctx: OperationContext) => {
  const { store } = ctx;
  const key = store.cryptoKey(req.parent);
  const spec = checkAlgorithmFitsPurpose(req.algorithm, key.purpose);
  if (spec.hsmOnly === true && key.protectionLevel !== 'HSM')
    throw invalidArgument(`Algorithm ${spec.name} is only available at protection level HSM.`);
  if (req.importJob === '') throw invalidArgument('import_job is required.');
  const job = store.importJob(req.importJob);
  if (locationOf(job.name) !== locationOf(key.name))
    throw invalidArgument(`ImportJob ${job.name} is not in the location of ${key.name}.`);
  if (store.importJobState(job) === 'EXPIRED')
    throw failedPrecondition(`ImportJob ${job.name} has expired and can no longer be used.`);
  if (job.protectionLevel !== key.protectionLevel)
    throw failedPrecondition(
      `ImportJob ${job.name} has protection level ${job.protectionLevel}, but CryptoKey ${key.name} has ${key.protectionLevel}; they must match.`,
    );
  const method = importMethodSpec(job.importMethod);
  if (!method.hybrid && !isSymmetric(spec))
    throw invalidArgument(
      `Import method ${job.importMethod} can only import symmetric key material; ${spec.name} needs an RSA_OAEP_*_AES_256 import method.`,
    );
  const blob = wrappedBlob(req);
  checkWrappedLength(method, blob);
  const target = reimportTarget(ctx, req);
  const outcome = importOutcome(job, spec, blob, target);
  const now = store.now();
  const fields = {
    state: 'PENDING_IMPORT' as const,
    algorithm: spec.name,
    protectionLevel: key.protectionLevel,
    importJob: job.name,
    settleTime: now + ctx.importSettleMs,
    imported: true,
    ...('failure' in outcome
      ? { pendingFailure: outcome.failure }
      : { material: outcome.material, fingerprint: outcome.fingerprint }),
  };
  let version: VersionRecord;
  if (target !== undefined) {
    delete target.destroyTime;
    delete target.destroyEventTime;
    delete target.importFailureReason;
    version = Object.assign(target, fields);
    store.touch();
  } else {
    version = store.add(store.versions, {
      name: `${key.name}/cryptoKeyVersions/${key.nextVersionId++}`,
      createTime: now,
      ...fields,
    });
  }
  // A zero settle delay completes before answering, like a synchronous import.
  return versionView(store.version(version.name));
};

export const importOperations: Readonly<Record<string, Operation>> = {
  CreateImportJob: createImportJob,
  GetImportJob: getImportJob,
  ListImportJobs: listImportJobs,
  ImportCryptoKeyVersion: importVersion,
};
