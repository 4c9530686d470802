/**
 * The committed descriptor (src/protocol/generated/protocol.json, what the provider loads at
 * start-up) must be exactly what the .proto files compile to; regenerate with
 * `npm run generate:protocol -w terraform-provider-keyplane`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';

const dir = join(__dirname, '..', '..', 'src', 'protocol');

it('matches the .proto definitions', () => {
  const root = new protobuf.Root();
  root.loadSync(['tfplugin6.proto', 'grpc_controller.proto'].map((f) => join(dir, 'proto', f)));
  const committed = JSON.parse(
    readFileSync(join(dir, 'generated', 'protocol.json'), 'utf8'),
  ) as unknown;
  expect(committed).toEqual(root.toJSON());
});

it('carries the protocol 6.8 fields Terraform 1.11 relies on', () => {
  const root = protobuf.Root.fromJSON(
    JSON.parse(
      readFileSync(join(dir, 'generated', 'protocol.json'), 'utf8'),
    ) as protobuf.INamespace,
  );
  expect(root.lookupType('tfplugin6.Schema.Attribute').fields.writeOnly?.id).toBe(11);
  expect(
    root.lookupType('tfplugin6.ClientCapabilities').fields.writeOnlyAttributesAllowed?.id,
  ).toBe(2);
  expect(root.lookupType('tfplugin6.CallFunction.Response').fields.error?.id).toBe(2);
  expect(Object.keys(root.lookupService('plugin.GRPCController').methods)).toEqual(['Shutdown']);
});
