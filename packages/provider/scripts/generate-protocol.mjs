// Precompiles the .proto files into the JSON descriptor the provider loads at start-up
// (protobufjs `Root.fromJSON`: no text parsing when Terraform launches the provider).
// Run after editing a .proto: `npm run generate:protocol -w terraform-provider-keyplane`.
// test/protocol/descriptor.test.ts fails when the committed descriptor is stale.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const here = dirname(fileURLToPath(import.meta.url));
const protoDir = join(here, '..', 'src', 'protocol', 'proto');
export const PROTO_FILES = ['tfplugin6.proto', 'grpc_controller.proto'];

export function descriptorJson() {
  const root = new protobuf.Root();
  root.loadSync(PROTO_FILES.map((f) => join(protoDir, f)));
  return `${JSON.stringify(root.toJSON(), null, 1)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = join(here, '..', 'src', 'protocol', 'generated', 'protocol.json');
  writeFileSync(out, descriptorJson());
  console.log(`wrote ${out}`);
}
