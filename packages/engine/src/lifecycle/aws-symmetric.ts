/**
 * AWS symmetric distribution: ONE KMS key whose material is rotated, so applications keep one
 * ARN and old ciphertexts keep decrypting (AWS documents on-demand rotation of imported key
 * material for single-Region symmetric EXTERNAL keys): version 1 is the first import, each
 * later version `ImportKeyMaterial` with `ImportType=NEW_KEY_MATERIAL` (PENDING_ROTATION) and
 * then `RotateKeyOnDemand` makes it current.
 *
 * Crash safety: the KMS key carries the `keyplane-key` tag (found again by a tag scan when a
 * crash came before CreateAlias), and each material's `KeyMaterialDescription` names its
 * Keyplane version, so a rerun finds what was imported (ListKeyRotations) and only finishes the
 * missing steps (alias, rotation): never a second key or a second copy of a version.
 *
 * @module
 */
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
  ListKeyRotationsCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  type AlgorithmSpec,
  type RotationsListEntry,
} from '@aws-sdk/client-kms';
import { TOKEN_EXPORT_ALGORITHMS } from '../algorithms/token-export';
import { AWS_DEFAULT_WRAPPING_ALGORITHM, wrapTransferForAws } from '../byok/aws';
import type { AwsKmsBackendConfig } from '../backends/configs';
import { KEYPLANE_TAGS, type BackendKeyVersion } from '../backends/contract';
import { connect, send, sendCreate, type AwsConnection } from '../backends/aws-kms/client';
import { isTokenKey, type TransferableKey } from '../crypto/token-key';
import { BackendError, NotFoundError } from '../errors';

const versionLabel = (version: number): string => `keyplane-version=${String(version)}`;

export interface AwsSymmetricVersion {
  /** The KMS key ARN (the same for every version). */
  readonly id: string;
  /** The KeyMaterialId of this version's material. */
  readonly version: string;
}

export class AwsSymmetricTarget {
  /** The backend's connection: the same CallPolicy (retries, max_parallel, deadlines). */
  private readonly conn: AwsConnection;

  constructor(config: AwsKmsBackendConfig) {
    this.conn = connect(config);
  }

  /** The key behind `alias`, or the one tagged for `keyplaneKey` (crash before CreateAlias). */
  private async findKey(alias: string, keyplaneKey: string): Promise<string | undefined> {
    try {
      const out = await send(this.conn, `DescribeKey ${alias}`, (c) =>
        c.send(new DescribeKeyCommand({ KeyId: alias })),
      );
      return out.KeyMetadata?.Arn;
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
    let marker: string | undefined;
    do {
      const page = await send(this.conn, 'ListKeys', (c) =>
        c.send(new ListKeysCommand({ Marker: marker })),
      );
      for (const k of page.Keys ?? []) {
        const tags = await send(this.conn, `ListResourceTags ${k.KeyId ?? ''}`, (c) =>
          c.send(new ListResourceTagsCommand({ KeyId: k.KeyId })),
        );
        const mine = (tags.Tags ?? []).some(
          (t) => t.TagKey === KEYPLANE_TAGS.key && t.TagValue === keyplaneKey,
        );
        if (mine) {
          const meta = await send(this.conn, `DescribeKey ${k.KeyId ?? ''}`, (c) =>
            c.send(new DescribeKeyCommand({ KeyId: k.KeyId })),
          );
          if (meta.KeyMetadata?.KeyState !== 'PendingDeletion') return meta.KeyMetadata?.Arn;
        }
      }
      marker = page.NextMarker;
    } while (marker !== undefined);
    return undefined;
  }

  private async ensureKey(alias: string, keyplaneKey: string): Promise<string> {
    let arn = await this.findKey(alias, keyplaneKey);
    if (arn === undefined) {
      const created = await sendCreate(this.conn, 'CreateKey', (c) =>
        c.send(
          new CreateKeyCommand({
            KeySpec: 'SYMMETRIC_DEFAULT',
            KeyUsage: 'ENCRYPT_DECRYPT',
            Origin: 'EXTERNAL',
            Description: `Keyplane ${keyplaneKey} (material rotated per version)`,
            Tags: [{ TagKey: KEYPLANE_TAGS.key, TagValue: keyplaneKey }],
          }),
        ),
      );
      arn = created.KeyMetadata?.Arn;
    }
    if (arn === undefined)
      throw new BackendError('CreateKey returned no ARN', { backendCode: 'NoArn' });
    try {
      await send(this.conn, `DescribeKey ${alias}`, (c) =>
        c.send(new DescribeKeyCommand({ KeyId: alias })),
      );
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
      await sendCreate(this.conn, `CreateAlias ${alias}`, (c) =>
        c.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: arn })),
      );
    }
    return arn;
  }

  private async materials(arn: string): Promise<RotationsListEntry[]> {
    const out: RotationsListEntry[] = [];
    let marker: string | undefined;
    do {
      const page = await send(this.conn, `ListKeyRotations ${arn}`, (c) =>
        c.send(
          new ListKeyRotationsCommand({
            KeyId: arn,
            IncludeKeyMaterial: 'ALL_KEY_MATERIAL',
            Marker: marker,
          }),
        ),
      );
      out.push(...(page.Rotations ?? []));
      marker = page.NextMarker;
    } while (marker !== undefined);
    return out;
  }

  /** Imports version `version` (new material + rotation after the first), or adopts it. */
  async importVersion(
    alias: string,
    keyplaneKey: string,
    version: number,
    material: TransferableKey,
  ): Promise<AwsSymmetricVersion> {
    const arn = await this.ensureKey(alias, keyplaneKey);
    const all = await this.materials(arn);
    let entry = all.find((m) => m.KeyMaterialDescription === versionLabel(version));
    if (entry === undefined) {
      // A token key can only be wrapped with the hybrids its token composes (token-export.ts).
      const algorithm =
        (isTokenKey(material) ? TOKEN_EXPORT_ALGORITHMS.awskms[0] : undefined) ??
        AWS_DEFAULT_WRAPPING_ALGORITHM;
      const params = await send(this.conn, `GetParametersForImport ${arn}`, (c) =>
        c.send(
          new GetParametersForImportCommand({
            KeyId: arn,
            WrappingAlgorithm: algorithm as AlgorithmSpec,
            WrappingKeySpec: 'RSA_4096',
          }),
        ),
      );
      if (params.PublicKey === undefined || params.ImportToken === undefined) {
        throw new BackendError('GetParametersForImport: no wrapping key or token', {
          backendCode: 'MissingImportParameters',
        });
      }
      const wrapped = await wrapTransferForAws({
        wrappingKey: Buffer.from(params.PublicKey),
        key: material,
        algorithm,
      });
      const imported = await send(this.conn, `ImportKeyMaterial ${arn}`, (c) =>
        c.send(
          new ImportKeyMaterialCommand({
            KeyId: arn,
            ImportToken: params.ImportToken,
            EncryptedKeyMaterial: wrapped.blob,
            ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
            KeyMaterialDescription: versionLabel(version),
            ...(all.length === 0 ? {} : { ImportType: 'NEW_KEY_MATERIAL' as const }),
          }),
        ),
      );
      entry = {
        KeyMaterialId: imported.KeyMaterialId,
        KeyMaterialState: all.length === 0 ? 'CURRENT' : 'PENDING_ROTATION',
      };
    }
    if (entry.KeyMaterialState === 'PENDING_ROTATION') {
      await send(this.conn, `RotateKeyOnDemand ${arn}`, (c) =>
        c.send(new RotateKeyOnDemandCommand({ KeyId: arn })),
      );
    }
    return { id: arn, version: entry.KeyMaterialId ?? '' };
  }

  /** Each material as a version (AWS cannot disable one material: the key's state applies). */
  async listVersions(alias: string, keyplaneKey: string): Promise<BackendKeyVersion[]> {
    const arn = await this.findKey(alias, keyplaneKey);
    if (arn === undefined) return [];
    const meta = await send(this.conn, `DescribeKey ${arn}`, (c) =>
      c.send(new DescribeKeyCommand({ KeyId: arn })),
    );
    const state = meta.KeyMetadata?.KeyState === 'Enabled' ? 'enabled' : 'disabled';
    return (await this.materials(arn)).map((m) => {
      const n = /^keyplane-version=(\d+)$/.exec(m.KeyMaterialDescription ?? '')?.[1];
      return {
        version: m.KeyMaterialId ?? '',
        id: arn,
        state: meta.KeyMetadata?.KeyState === 'PendingDeletion' ? 'pending-deletion' : state,
        keyType: 'aes256-gcm96',
        ...(n === undefined ? {} : { keyplaneKey, keyplaneVersion: Number(n) }),
      };
    });
  }

  /** Schedules deletion of the one KMS key (AWS: 7–30 day window). */
  async scheduleDeletion(
    alias: string,
    keyplaneKey: string,
    pendingWindowDays: number,
  ): Promise<void> {
    const arn = await this.findKey(alias, keyplaneKey);
    if (arn === undefined) return;
    await send(this.conn, `ScheduleKeyDeletion ${arn}`, (c) =>
      c.send(
        new ScheduleKeyDeletionCommand({ KeyId: arn, PendingWindowInDays: pendingWindowDays }),
      ),
    );
  }

  close(): void {
    this.conn.client.destroy();
  }
}
