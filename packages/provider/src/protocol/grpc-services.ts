/**
 * grpc-js service definitions built from the precompiled descriptor (generated/protocol.json,
 * loaded with protobufjs/light: no .proto text is parsed at start-up). Each unary handler
 * decodes with protobufjs, awaits the implementation, and encodes the plain-object response.
 *
 * @module
 */
import type {
  handleUnaryCall,
  ServiceDefinition,
  UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import { Root, type INamespace, type Type } from 'protobufjs/light';
import descriptor from './generated/protocol.json';

let root: Root | undefined;
function protocolRoot(): Root {
  root ??= Root.fromJSON(descriptor as unknown as INamespace);
  return root;
}

function codec(type: Type) {
  return {
    serialize: (message: object): Buffer =>
      Buffer.from(type.encode(type.fromObject(message)).finish()),
    deserialize: (bytes: Buffer): object => type.decode(bytes),
  };
}

/** A service definition for `package.Service` from the descriptor. */
export function serviceDefinition(fullName: string): ServiceDefinition {
  const service = protocolRoot().lookupService(fullName);
  const definition: Record<string, ServiceDefinition[string]> = {};
  for (const method of Object.values(service.methods)) {
    method.resolve();
    const req = codec(method.resolvedRequestType as Type);
    const res = codec(method.resolvedResponseType as Type);
    definition[method.name] = {
      path: `/${fullName}/${method.name}`,
      requestStream: false,
      responseStream: false,
      requestSerialize: req.serialize,
      requestDeserialize: req.deserialize,
      responseSerialize: res.serialize,
      responseDeserialize: res.deserialize,
      originalName: method.name,
    };
  }
  return definition;
}

export type UnaryImplementation = Readonly<Record<string, (request: never) => Promise<object>>>;

/**
 * Wraps promise-returning methods as grpc-js unary handlers. A thrown error becomes an INTERNAL
 * status with its message; the framework turns expected failures into diagnostics before that.
 */
export function unaryHandlers(
  impl: UnaryImplementation,
  onError: (method: string, error: unknown) => void,
): UntypedServiceImplementation {
  const handlers: UntypedServiceImplementation = {};
  for (const [name, fn] of Object.entries(impl)) {
    const handler: handleUnaryCall<object, object> = (call, callback) => {
      fn(call.request as never).then(
        (response) => {
          callback(null, response);
        },
        (e: unknown) => {
          onError(name, e);
          callback({
            code: status.INTERNAL,
            details: e instanceof Error ? e.message : String(e),
          });
        },
      );
    };
    handlers[name] = handler;
  }
  return handlers;
}
