/**
 * Synth of 1,000 `Key` constructs (each validated by the engine at construction, and once more
 * with the KeyPolicy Aspect) next to 1,000 raw `TerraformResource`s of the same type and
 * attributes, side by side in alternating rounds (issue 14 budget: ≤ 1.5×); and the same keys
 * each `distributeTo` one AWS connection next to raw key + distribution resources. One
 * operation = build the stack and synthesize it to JSON, in process (no CLI, no files).
 *
 * @module
 */
import { AwsKmsConnection, Key, KeyPolicy } from '@keyplane/cdktf';
import { TerraformResource, TerraformStack, Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { comparePair, type PairResult } from './harness';

const KEYS = 1000;

/** The baseline: a bare resource with the attributes a construct synthesizes. */
class RawResource extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    private readonly attributes: Record<string, unknown>,
    terraformResourceType = 'keyplane_key',
  ) {
    super(scope, id, { terraformResourceType });
  }
  protected override synthesizeAttributes(): Record<string, unknown> {
    return this.attributes;
  }
}

function synth(fill: (stack: TerraformStack, i: number) => void): () => Promise<number> {
  return () => {
    const stack = new TerraformStack(Testing.app(), 'bench');
    for (let i = 0; i < KEYS; i++) fill(stack, i);
    return Promise.resolve(Testing.synth(stack).length);
  };
}

const attributes = (i: number) => ({
  name: `key-${String(i)}`,
  type: 'rsa-3072',
  rotation_period: '2160h',
});

/** Raw keyplane_kms + keyplane_key + keyplane_key_distribution, by reference as the constructs write them. */
function rawDistributed(): () => Promise<number> {
  let aws: RawResource | undefined;
  return synth((stack, i) => {
    if (i === 0) {
      const kms = { name: 'aws', type: 'awskms', key_collection: 'us-east-1' };
      aws = new RawResource(stack, 'aws', kms, 'keyplane_kms');
    }
    const key = new RawResource(stack, `k${String(i)}`, attributes(i));
    const distribution = {
      key: key.getStringAttribute('id'),
      kms: aws?.getStringAttribute('id'),
      purpose: ['sign', 'verify'],
      protection: 'hsm',
    };
    new RawResource(stack, `d${String(i)}`, distribution, 'keyplane_key_distribution');
  });
}

/** Each key distributed to one AWS connection, created with the first key. */
function distributed(key: (stack: TerraformStack, i: number) => Key) {
  let aws: AwsKmsConnection | undefined;
  return synth((stack, i) => {
    if (i === 0) aws = new AwsKmsConnection(stack, 'aws', { name: 'aws', region: 'us-east-1' });
    if (aws !== undefined) key(stack, i).distributeTo(aws, { purpose: ['sign', 'verify'] });
  });
}

export async function benchCdktfSynth(quick: boolean): Promise<PairResult[]> {
  const options = { perRound: 1, rounds: quick ? 2 : 7, warmup: quick ? 1 : 2 };
  const raw = synth((stack, i) => new RawResource(stack, `k${String(i)}`, attributes(i)));
  const key = (stack: TerraformStack, i: number) =>
    new Key(stack, `k${String(i)}`, {
      name: `key-${String(i)}`,
      type: 'rsa-3072',
      rotationPeriod: '2160h',
    });
  return [
    await comparePair(
      `synth ${String(KEYS)} Key vs raw TerraformResource`,
      raw,
      synth(key),
      options,
      1.5,
    ),
    await comparePair(
      `synth ${String(KEYS)} Key + KeyPolicy Aspect vs raw`,
      raw,
      synth((stack, i) => {
        if (i === 0)
          KeyPolicy.enforce(stack, {
            version: 1,
            rules: { allowed_key_types: ['rsa-3072', 'rsa-4096'], max_rotation_period: '90d' },
          });
        key(stack, i);
      }),
      options,
      1.5,
    ),
    await comparePair(
      `synth ${String(KEYS)} Key.distributeTo vs raw + distribution`,
      rawDistributed(),
      distributed(key),
      options,
      1.5,
    ),
  ];
}
