/**
 * AWS KMS emulator, aliases and tags through the real SDK: CreateAlias / UpdateAlias /
 * DeleteAlias / ListAliases with AWS's naming rules, TagResource / UntagResource /
 * ListResourceTags including tags given to CreateKey.
 */
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  ListAliasesCommand,
  ListResourceTagsCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
  type CreateKeyCommandInput,
} from '@aws-sdk/client-kms';
import { ACCOUNT, expectKmsError, REGION, useAwsKms } from './support/aws-kms';

const aws = useAwsKms();

const create = async (input: CreateKeyCommandInput = {}) =>
  (await aws.client.send(new CreateKeyCommand(input))).KeyMetadata!;

describe('aliases', () => {
  test('create, resolve, update (manual rotation), list, delete', async () => {
    const k1 = await create();
    const k2 = await create();
    await aws.client.send(
      new CreateAliasCommand({ AliasName: 'alias/app-key', TargetKeyId: k1.KeyId }),
    );
    expect(
      (await aws.client.send(new DescribeKeyCommand({ KeyId: 'alias/app-key' }))).KeyMetadata
        ?.KeyId,
    ).toBe(k1.KeyId);

    await aws.client.send(
      new UpdateAliasCommand({ AliasName: 'alias/app-key', TargetKeyId: k2.Arn }),
    );
    expect(
      (await aws.client.send(new DescribeKeyCommand({ KeyId: 'alias/app-key' }))).KeyMetadata
        ?.KeyId,
    ).toBe(k2.KeyId);

    const { Aliases } = await aws.client.send(new ListAliasesCommand({ KeyId: k2.KeyId }));
    expect(Aliases).toEqual([
      expect.objectContaining({
        AliasName: 'alias/app-key',
        AliasArn: `arn:aws:kms:${REGION}:${ACCOUNT}:alias/app-key`,
        TargetKeyId: k2.KeyId,
        CreationDate: expect.any(Date) as unknown,
        LastUpdatedDate: expect.any(Date) as unknown,
      }),
    ]);
    expect((await aws.client.send(new ListAliasesCommand({ KeyId: k1.KeyId }))).Aliases).toEqual(
      [],
    );

    await aws.client.send(new DeleteAliasCommand({ AliasName: 'alias/app-key' }));
    await expectKmsError(
      aws.client.send(new DescribeKeyCommand({ KeyId: 'alias/app-key' })),
      'NotFoundException',
    );
    await expectKmsError(
      aws.client.send(new DeleteAliasCommand({ AliasName: 'alias/app-key' })),
      'NotFoundException',
    );
  });

  test('ListAliases pages with Limit/Marker', async () => {
    const k = await create();
    for (const n of ['a', 'b', 'c'])
      await aws.client.send(
        new CreateAliasCommand({ AliasName: `alias/page-${n}`, TargetKeyId: k.KeyId }),
      );
    const first = await aws.client.send(new ListAliasesCommand({ KeyId: k.KeyId, Limit: 2 }));
    expect(first.Aliases!.map((a) => a.AliasName)).toEqual(['alias/page-a', 'alias/page-b']);
    expect(first.Truncated).toBe(true);
    const second = await aws.client.send(
      new ListAliasesCommand({ KeyId: k.KeyId, Limit: 2, Marker: first.NextMarker }),
    );
    expect(second.Aliases!.map((a) => a.AliasName)).toEqual(['alias/page-c']);
    expect(second.Truncated).toBe(false);
    expect(second.NextMarker).toBeUndefined();
  });

  test('duplicate → AlreadyExistsException', async () => {
    const k = await create();
    await aws.client.send(new CreateAliasCommand({ AliasName: 'alias/dup', TargetKeyId: k.KeyId }));
    await expectKmsError(
      aws.client.send(new CreateAliasCommand({ AliasName: 'alias/dup', TargetKeyId: k.KeyId })),
      'AlreadyExistsException',
    );
  });

  test('naming rules: alias/ prefix, characters, reserved alias/aws/', async () => {
    const k = await create();
    for (const AliasName of ['no-prefix', 'alias/', 'alias/bad name!'])
      await expectKmsError(
        aws.client.send(new CreateAliasCommand({ AliasName, TargetKeyId: k.KeyId })),
        'ValidationException',
      );
    await expectKmsError(
      aws.client.send(new CreateAliasCommand({ AliasName: 'alias/aws/s3', TargetKeyId: k.KeyId })),
      'NotAuthorizedException',
    );
  });

  test('TargetKeyId must be a key id/ARN of a key not pending deletion', async () => {
    const k = await create();
    await aws.client.send(
      new CreateAliasCommand({ AliasName: 'alias/target', TargetKeyId: k.KeyId }),
    );
    await expectKmsError(
      aws.client.send(
        new CreateAliasCommand({ AliasName: 'alias/via-alias', TargetKeyId: 'alias/target' }),
      ),
      'ValidationException',
    );
    await expectKmsError(
      aws.client.send(
        new CreateAliasCommand({
          AliasName: 'alias/nothing',
          TargetKeyId: '11111111-2222-3333-4444-555555555555',
        }),
      ),
      'NotFoundException',
    );
    const doomed = await create();
    await aws.client.send(
      new ScheduleKeyDeletionCommand({ KeyId: doomed.KeyId, PendingWindowInDays: 7 }),
    );
    await expectKmsError(
      aws.client.send(
        new CreateAliasCommand({ AliasName: 'alias/doomed', TargetKeyId: doomed.KeyId }),
      ),
      'KMSInvalidStateException',
    );
  });

  test('UpdateAlias to a key of another type or usage → ValidationException', async () => {
    const sym = await create();
    const sign = await create({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    await aws.client.send(
      new CreateAliasCommand({ AliasName: 'alias/typed', TargetKeyId: sym.KeyId }),
    );
    await expectKmsError(
      aws.client.send(
        new UpdateAliasCommand({ AliasName: 'alias/typed', TargetKeyId: sign.KeyId }),
      ),
      'ValidationException',
    );
    await expectKmsError(
      aws.client.send(
        new UpdateAliasCommand({ AliasName: 'alias/missing', TargetKeyId: sym.KeyId }),
      ),
      'NotFoundException',
    );
  });
});

describe('tags', () => {
  test('CreateKey tags, TagResource overwrite/add, UntagResource, ListResourceTags paging', async () => {
    const k = await create({ Tags: [{ TagKey: 'team', TagValue: 'crypto' }] });
    await aws.client.send(
      new TagResourceCommand({
        KeyId: k.Arn,
        Tags: [
          { TagKey: 'team', TagValue: 'platform' },
          { TagKey: 'env', TagValue: 'dev' },
          { TagKey: 'empty', TagValue: '' },
        ],
      }),
    );
    const all = await aws.client.send(new ListResourceTagsCommand({ KeyId: k.KeyId }));
    expect(all.Tags).toEqual([
      { TagKey: 'team', TagValue: 'platform' },
      { TagKey: 'env', TagValue: 'dev' },
      { TagKey: 'empty', TagValue: '' },
    ]);
    expect(all.Truncated).toBe(false);
    const page = await aws.client.send(new ListResourceTagsCommand({ KeyId: k.KeyId, Limit: 2 }));
    expect(page.Tags).toHaveLength(2);
    expect(page.Truncated).toBe(true);
    const rest = await aws.client.send(
      new ListResourceTagsCommand({ KeyId: k.KeyId, Marker: page.NextMarker }),
    );
    expect(rest.Tags).toEqual([{ TagKey: 'empty', TagValue: '' }]);

    await aws.client.send(
      new UntagResourceCommand({ KeyId: k.KeyId, TagKeys: ['team', 'empty', 'absent'] }),
    );
    expect((await aws.client.send(new ListResourceTagsCommand({ KeyId: k.KeyId }))).Tags).toEqual([
      { TagKey: 'env', TagValue: 'dev' },
    ]);
  });

  test('reserved aws: prefix → TagException (CreateKey and TagResource)', async () => {
    await expectKmsError(
      aws.client.send(new CreateKeyCommand({ Tags: [{ TagKey: 'aws:owner', TagValue: 'x' }] })),
      'TagException',
    );
    const k = await create();
    await expectKmsError(
      aws.client.send(
        new TagResourceCommand({ KeyId: k.KeyId, Tags: [{ TagKey: 'AWS:x', TagValue: 'y' }] }),
      ),
      'TagException',
    );
  });

  test('tagging a key pending deletion → KMSInvalidStateException; unknown key → NotFound', async () => {
    const k = await create();
    await aws.client.send(new ScheduleKeyDeletionCommand({ KeyId: k.KeyId }));
    await expectKmsError(
      aws.client.send(
        new TagResourceCommand({ KeyId: k.KeyId, Tags: [{ TagKey: 'a', TagValue: 'b' }] }),
      ),
      'KMSInvalidStateException',
    );
    await expectKmsError(
      aws.client.send(new UntagResourceCommand({ KeyId: k.KeyId, TagKeys: ['a'] })),
      'KMSInvalidStateException',
    );
    await expectKmsError(
      aws.client.send(
        new ListResourceTagsCommand({ KeyId: '11111111-2222-3333-4444-555555555555' }),
      ),
      'NotFoundException',
    );
  });
});
