/**
 * Direct handler calls (the cheapest rung of the testing ladder): requests built with the
 * project codec, sent to a ProviderServer as Terraform would send them over gRPC.
 */
import {
  createLogger,
  createProviderServer,
  decodeMsgpack,
  encodeMsgpack,
  impliedType,
  pathFromWire,
  formatPath,
  type CtyValue,
  type ProviderDefinition,
  type ProviderServer,
  type Schema,
} from 'terraform-provider-keyplane';

export interface Direct {
  readonly server: ProviderServer;
  readonly logs: string[];
}

export function direct<C>(definition: ProviderDefinition<C>, strict = true): Direct {
  const logs: string[] = [];
  return {
    server: createProviderServer(definition, {
      logger: createLogger((l) => logs.push(l), 'trace'),
      strict,
    }),
    logs,
  };
}

export const dv = (schema: Schema, value: CtyValue) => ({
  msgpack: encodeMsgpack(value, impliedType(schema)),
});
export const undv = (schema: Schema, v: { msgpack?: Uint8Array | null } | undefined) =>
  v?.msgpack ? decodeMsgpack(v.msgpack, impliedType(schema)) : undefined;

/** Diagnostics as `path: summary: detail` strings. */
export function diagText(
  diags: readonly { summary: string; detail?: string; attribute?: { steps: readonly object[] } }[],
): string[] {
  return diags.map((d) => {
    const at = d.attribute === undefined ? '' : `${formatPath(pathFromWire(d.attribute))}: `;
    return `${at}${d.summary}: ${d.detail ?? ''}`;
  });
}

export const NO_PRIVATE = new Uint8Array(0);
