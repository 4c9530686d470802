/**
 * AWS KMS emulator, key lifecycle through the real SDK: CreateKey (specs, usages, origins, tags),
 * DescribeKey metadata, key id forms, ListKeys paging, Enable/Disable, deletion scheduling with
 * the injected clock, UpdateKeyDescription, and the wire basics (unknown operation, bad JSON).
 */
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  ListAliasesCommand,
  ListKeysCommand,
  ScheduleKeyDeletionCommand,
  UpdateKeyDescriptionCommand,
  type CreateKeyCommandInput,
} from '@aws-sdk/client-kms';
import { ACCOUNT, expectKmsError, rawKmsCall, REGION, useAwsKms } from './support/aws-kms';

const DAY = 86_400_000;
let offsetMs = 0;
const aws = useAwsKms({ clock: () => Date.now() + offsetMs });

const create = async (input: CreateKeyCommandInput = {}) =>
  (await aws.client.send(new CreateKeyCommand(input))).KeyMetadata!;

describe('CreateKey', () => {
  test.each([
    {
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyUsage: 'ENCRYPT_DECRYPT',
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    },
    {
      KeySpec: 'RSA_2048',
      KeyUsage: 'ENCRYPT_DECRYPT',
      EncryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'],
    },
    {
      KeySpec: 'RSA_2048',
      KeyUsage: 'SIGN_VERIFY',
      SigningAlgorithms: expect.arrayContaining([
        'RSASSA_PSS_SHA_256',
        'RSASSA_PKCS1_V1_5_SHA_512',
      ]) as unknown,
    },
    { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: ['ECDSA_SHA_256'] },
    { KeySpec: 'ECC_NIST_P384', KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: ['ECDSA_SHA_384'] },
    { KeySpec: 'ECC_NIST_P521', KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: ['ECDSA_SHA_512'] },
    { KeySpec: 'HMAC_224', KeyUsage: 'GENERATE_VERIFY_MAC', MacAlgorithms: ['HMAC_SHA_224'] },
    { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC', MacAlgorithms: ['HMAC_SHA_256'] },
    { KeySpec: 'HMAC_384', KeyUsage: 'GENERATE_VERIFY_MAC', MacAlgorithms: ['HMAC_SHA_384'] },
    { KeySpec: 'HMAC_512', KeyUsage: 'GENERATE_VERIFY_MAC', MacAlgorithms: ['HMAC_SHA_512'] },
  ] as const)(
    '$KeySpec / $KeyUsage (AWS_KMS origin): metadata',
    async ({ KeySpec, KeyUsage, ...algorithms }) => {
      const before = Date.now();
      const md = await create({ KeySpec, KeyUsage, Description: `a ${KeySpec} key` });
      expect(md).toMatchObject({
        AWSAccountId: ACCOUNT,
        Arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${md.KeyId!}`,
        Enabled: true,
        KeyState: 'Enabled',
        Origin: 'AWS_KMS',
        KeyManager: 'CUSTOMER',
        KeySpec,
        CustomerMasterKeySpec: KeySpec,
        KeyUsage,
        MultiRegion: false,
        Description: `a ${KeySpec} key`,
        ...algorithms,
      });
      expect(md.KeyId).toMatch(/^[0-9a-f-]{36}$/);
      expect(md.CreationDate!.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(md.ExpirationModel).toBeUndefined();
    },
  );

  test.each(['RSA_3072', 'RSA_4096'] as const)(
    '%s with EXTERNAL origin is PendingImport',
    async (KeySpec) => {
      const md = await create({ KeySpec, KeyUsage: 'SIGN_VERIFY', Origin: 'EXTERNAL' });
      expect(md).toMatchObject({
        KeySpec,
        KeyState: 'PendingImport',
        Enabled: false,
        Origin: 'EXTERNAL',
      });
    },
  );

  test.each([
    { KeySpec: 'ECC_NIST_P256', KeyUsage: 'ENCRYPT_DECRYPT' },
    { KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'SIGN_VERIFY' },
    { KeySpec: 'HMAC_256' },
    { KeySpec: 'RSA_2048', KeyUsage: 'GENERATE_VERIFY_MAC' },
  ] as const)('usage not valid for the spec → ValidationException: %o', async (input) => {
    await expectKmsError(aws.client.send(new CreateKeyCommand(input)), 'ValidationException');
  });

  test('unknown KeySpec → ValidationException; MultiRegion and custom key stores → Unsupported', async () => {
    await expectKmsError(
      aws.client.send(new CreateKeyCommand({ KeySpec: 'RSA_1024' as never })),
      'ValidationException',
    );
    await expectKmsError(
      aws.client.send(new CreateKeyCommand({ MultiRegion: true })),
      'UnsupportedOperationException',
    );
    await expectKmsError(
      aws.client.send(new CreateKeyCommand({ Origin: 'AWS_CLOUDHSM' })),
      'UnsupportedOperationException',
    );
  });
});

describe('key identifiers and NotFound', () => {
  test('DescribeKey by id, key ARN, alias name and alias ARN', async () => {
    const md = await create();
    await aws.client.send(
      new CreateAliasCommand({ AliasName: 'alias/lifecycle-ids', TargetKeyId: md.KeyId }),
    );
    for (const id of [
      md.KeyId!,
      md.Arn!,
      'alias/lifecycle-ids',
      `arn:aws:kms:${REGION}:${ACCOUNT}:alias/lifecycle-ids`,
    ]) {
      const { KeyMetadata } = await aws.client.send(new DescribeKeyCommand({ KeyId: id }));
      expect(KeyMetadata?.KeyId).toBe(md.KeyId);
    }
  });

  test.each([
    '11111111-2222-3333-4444-555555555555',
    'alias/does-not-exist',
    `arn:aws:kms:eu-west-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`,
    'not-a-key-id',
  ])('%s → NotFoundException', async (KeyId) => {
    const err = await expectKmsError(
      aws.client.send(new DescribeKeyCommand({ KeyId })),
      'NotFoundException',
    );
    expect(err.$metadata?.httpStatusCode).toBe(400);
  });
});

test('ListKeys pages with Limit/Marker and rejects unknown markers', async () => {
  for (let i = 0; i < 3; i++) await create();
  const seen: string[] = [];
  let marker: string | undefined;
  let pages = 0;
  do {
    const page = await aws.client.send(new ListKeysCommand({ Limit: 2, Marker: marker }));
    expect(page.Keys!.length).toBeLessThanOrEqual(2);
    for (const k of page.Keys!) {
      expect(k.KeyArn).toBe(`arn:aws:kms:${REGION}:${ACCOUNT}:key/${k.KeyId!}`);
      seen.push(k.KeyId!);
    }
    expect(page.Truncated).toBe(page.NextMarker !== undefined);
    marker = page.NextMarker;
    pages++;
  } while (marker !== undefined);
  const all = await aws.client.send(new ListKeysCommand({}));
  expect(seen).toEqual(all.Keys!.map((k) => k.KeyId));
  expect(pages).toBeGreaterThanOrEqual(2);
  await expectKmsError(
    aws.client.send(new ListKeysCommand({ Marker: 'bogus' })),
    'InvalidMarkerException',
  );
});

test('DisableKey / EnableKey / UpdateKeyDescription', async () => {
  const md = await create();
  await aws.client.send(new DisableKeyCommand({ KeyId: md.KeyId }));
  let now = (await aws.client.send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!;
  expect(now).toMatchObject({ KeyState: 'Disabled', Enabled: false });
  await aws.client.send(new EnableKeyCommand({ KeyId: md.KeyId }));
  await aws.client.send(
    new UpdateKeyDescriptionCommand({ KeyId: md.KeyId, Description: 'renamed' }),
  );
  now = (await aws.client.send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!;
  expect(now).toMatchObject({ KeyState: 'Enabled', Enabled: true, Description: 'renamed' });
});

describe('ScheduleKeyDeletion / CancelKeyDeletion', () => {
  afterEach(() => {
    offsetMs = 0;
  });

  test('default window 30 days, cancel → Disabled, twice → KMSInvalidStateException', async () => {
    const md = await create();
    const start = Date.now();
    const scheduled = await aws.client.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId }));
    expect(scheduled).toMatchObject({
      KeyId: md.Arn,
      KeyState: 'PendingDeletion',
      PendingWindowInDays: 30,
    });
    expect(scheduled.DeletionDate!.getTime()).toBeGreaterThanOrEqual(start + 30 * DAY - 1000);
    const pending = (await aws.client.send(new DescribeKeyCommand({ KeyId: md.KeyId })))
      .KeyMetadata!;
    expect(pending).toMatchObject({ KeyState: 'PendingDeletion', Enabled: false });
    expect(pending.DeletionDate).toEqual(scheduled.DeletionDate);
    await expectKmsError(
      aws.client.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId })),
      'KMSInvalidStateException',
    );
    await expectKmsError(
      aws.client.send(new EnableKeyCommand({ KeyId: md.KeyId })),
      'KMSInvalidStateException',
    );
    const cancelled = await aws.client.send(new CancelKeyDeletionCommand({ KeyId: md.KeyId }));
    expect(cancelled.KeyId).toBe(md.Arn);
    const after = (await aws.client.send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!;
    expect(after).toMatchObject({ KeyState: 'Disabled', Enabled: false });
    expect(after.DeletionDate).toBeUndefined();
    await expectKmsError(
      aws.client.send(new CancelKeyDeletionCommand({ KeyId: md.KeyId })),
      'KMSInvalidStateException',
    );
  });

  test('window outside 7–30 → ValidationException', async () => {
    const md = await create();
    for (const days of [6, 31])
      await expectKmsError(
        aws.client.send(
          new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: days }),
        ),
        'ValidationException',
      );
  });

  test('when the window has passed the key and its aliases are gone', async () => {
    const md = await create();
    await aws.client.send(
      new CreateAliasCommand({ AliasName: 'alias/doomed', TargetKeyId: md.KeyId }),
    );
    await aws.client.send(
      new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: 7 }),
    );
    offsetMs = 7 * DAY + 1000;
    await expectKmsError(
      aws.client.send(new DescribeKeyCommand({ KeyId: md.KeyId })),
      'NotFoundException',
    );
    const { Aliases } = await aws.client.send(new ListAliasesCommand({}));
    expect(Aliases!.map((a) => a.AliasName)).not.toContain('alias/doomed');
  });
});

describe('wire protocol', () => {
  test('unknown operation → 400 UnknownOperationException', async () => {
    const res = await rawKmsCall(aws.emulator.url, 'TrentService.FlyToTheMoon', {});
    expect(res.status).toBe(400);
    expect(res.json.__type).toBe('UnknownOperationException');
  });

  test('malformed JSON → 400 SerializationException', async () => {
    const res = await rawKmsCall(aws.emulator.url, 'TrentService.ListKeys', undefined, {
      rawBody: '{not json',
    });
    expect(res.status).toBe(400);
    expect(res.json.__type).toBe('SerializationException');
  });

  test('the control endpoint answers on the same port', async () => {
    const res = await fetch(`${aws.emulator.url}/_keyplane/health`);
    expect(await res.json()).toEqual({ ok: true });
  });
});
