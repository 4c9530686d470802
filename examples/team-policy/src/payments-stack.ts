/**
 * An application team's stack consuming `@acme/keys`: the payments signing key, distributed to
 * AWS KMS in eu-west-1, under the Acme policy for namespace `prod/payments`.
 *
 * @module
 */
import { AwsKmsConnection, KeyplaneProvider } from '@keyplane/cdktf';
import { TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { applyAcmeKeyPolicy, CompliantKey } from './acme-keys';

export interface PaymentsStackProps {
  /** The Keyplane namespace. @default 'prod/payments' */
  readonly namespace?: string;
  /** AWS region of the KMS connection. @default 'eu-west-1' */
  readonly region?: string;
}

export class PaymentsStack extends TerraformStack {
  readonly signing: CompliantKey;
  readonly aws: AwsKmsConnection;

  constructor(scope: Construct, id: string, props: PaymentsStackProps = {}) {
    super(scope, id);
    const namespace = props.namespace ?? 'prod/payments';
    new KeyplaneProvider(this, 'keyplane', { namespace });
    applyAcmeKeyPolicy(this, { namespace });
    const secret = (name: string) =>
      new TerraformVariable(this, name, { type: 'string', sensitive: true });
    this.aws = new AwsKmsConnection(this, 'Aws', {
      name: 'aws-payments',
      region: props.region ?? 'eu-west-1',
      accessKey: secret('aws_access_key'),
      secretKey: secret('aws_secret_key'),
    });
    this.signing = new CompliantKey(this, 'Signing', {
      name: 'payments-signing',
      distributeTo: [this.aws],
    });
    new TerraformOutput(this, 'fingerprint', { value: this.signing.key.fingerprint });
  }
}
