/**
 * ReadResource (refresh, drift detection), ImportResourceState and UpgradeResourceState.
 * Results must be wholly known and hold no write-only value.
 *
 * @module
 */
import { fromJson, parseJsonLossless } from '../../protocol/cty/json';
import {
  asObject,
  isWhollyKnown,
  objectValue,
  type CtyObject,
  type CtyValue,
} from '../../protocol/cty/values';
import type {
  ImportResourceStateRequest,
  ImportResourceStateResponse,
  ReadResourceRequest,
  ReadResourceResponse,
  UpgradeResourceStateRequest,
  UpgradeResourceStateResponse,
} from '../../protocol/messages';
import type { Diagnostics } from '../diagnostics';
import { canImport, canUpgradeState, type Resource } from '../resource';
import { impliedType } from '../schema';
import { withoutWriteOnly } from '../walk';
import {
  decodeDynamic,
  encodeDynamic,
  findResource,
  guarded,
  newDiagnostics,
  objectOrEmpty,
  type ServerState,
} from './context';

function finish<C>(
  resource: Resource<C>,
  value: CtyObject | null,
  diags: Diagnostics,
  what: string,
): CtyObject | null {
  if (value === null) return null;
  const clean = objectOrEmpty(withoutWriteOnly(resource.schema, value));
  if (!isWhollyKnown(clean)) {
    diags.error(
      `${what} returned unknown values`,
      `The ${resource.typeName} state must be wholly known. This is a bug in terraform-provider-keyplane; please report it.`,
    );
  }
  return clean;
}

export async function readResource<C>(
  state: ServerState<C>,
  req: ReadResourceRequest,
): Promise<ReadResourceResponse> {
  const diags = newDiagnostics();
  const resource = findResource(state, req.typeName, diags);
  if (resource === undefined) return { diagnostics: diags.toWire() };
  const type = impliedType(resource.schema);
  const current = asObject(decodeDynamic(req.currentState, type));
  if (current === undefined) return { newState: encodeDynamic(null, type), diagnostics: [] };
  const resp = { state: current as CtyObject | null, private: req.private, diagnostics: diags };
  await guarded(diags, `Reading ${resource.typeName} failed`, () =>
    resource.read(
      { state: current, private: req.private, ctx: state.ctx, signal: state.stop.signal },
      resp,
    ),
  );
  const result = diags.hasErrors() ? current : finish(resource, resp.state, diags, 'Read');
  return {
    newState: encodeDynamic(result, type),
    private: resp.private,
    diagnostics: diags.toWire(),
  };
}

export async function importResourceState<C>(
  state: ServerState<C>,
  req: ImportResourceStateRequest,
): Promise<ImportResourceStateResponse> {
  const diags = newDiagnostics();
  const resource = findResource(state, req.typeName, diags);
  if (resource === undefined) return { importedResources: [], diagnostics: diags.toWire() };
  if (!canImport(resource)) {
    diags.error('Resource import not supported', `${resource.typeName} cannot be imported.`);
    return { importedResources: [], diagnostics: diags.toWire() };
  }
  const type = impliedType(resource.schema);
  const resp: {
    state: Readonly<Record<string, CtyValue>> | null;
    private?: Uint8Array;
    diagnostics: Diagnostics;
  } = { state: null, diagnostics: diags };
  await guarded(diags, `Importing ${resource.typeName} failed`, () =>
    resource.importState({ id: req.id, ctx: state.ctx, signal: state.stop.signal }, resp),
  );
  if (diags.hasErrors() || resp.state === null) {
    if (!diags.hasErrors())
      diags.error('Cannot import', `No ${resource.typeName} with id "${req.id}".`);
    return { importedResources: [], diagnostics: diags.toWire() };
  }
  const partial = resp.state;
  const full = objectValue(Object.keys(type.object).map((k) => [k, partial[k] ?? null]));
  return {
    importedResources: [
      {
        typeName: resource.typeName,
        state: encodeDynamic(finish(resource, full, diags, 'Import'), type),
        ...(resp.private === undefined ? {} : { private: resp.private }),
      },
    ],
    diagnostics: diags.toWire(),
  };
}

const int = (v: UpgradeResourceStateRequest['version']): number =>
  typeof v === 'number' ? v : v.toNumber();

export async function upgradeResourceState<C>(
  state: ServerState<C>,
  req: UpgradeResourceStateRequest,
): Promise<UpgradeResourceStateResponse> {
  const diags = newDiagnostics();
  const resource = findResource(state, req.typeName, diags);
  if (resource === undefined) return { diagnostics: diags.toWire() };
  const type = impliedType(resource.schema);
  const current = resource.schema.version ?? 0;
  const stored = int(req.version);
  let result: CtyObject | null = null;
  await guarded(diags, `Upgrading stored ${resource.typeName} state failed`, () => {
    const json = req.rawState?.json;
    if (json === null || json === undefined || json.length === 0) {
      diags.error(
        'Cannot upgrade state',
        'Only JSON state is supported (flatmap state predates Terraform 0.12).',
      );
      return;
    }
    const raw = parseJsonLossless(Buffer.from(json).toString('utf8'));
    if (stored === current) {
      result = asObject(fromJson(raw, type, [])) ?? null;
      return;
    }
    const upgrader = canUpgradeState(resource) ? resource.stateUpgraders[stored] : undefined;
    if (stored > current || upgrader === undefined) {
      diags.error(
        'Unsupported state version',
        `${resource.typeName} state is at schema version ${stored}; this provider reads version ${current}${stored > current ? ' (state written by a newer provider: upgrade terraform-provider-keyplane)' : ''}.`,
      );
      return;
    }
    const priorState =
      upgrader.priorSchema === undefined
        ? undefined
        : asObject(fromJson(raw, impliedType(upgrader.priorSchema), []));
    const resp = { state: null as CtyObject | null, diagnostics: diags };
    upgrader.upgrade({ rawJson: raw, priorState }, resp);
    result = resp.state;
  });
  const upgraded = diags.hasErrors() ? null : finish(resource, result, diags, 'State upgrade');
  return diags.hasErrors()
    ? { diagnostics: diags.toWire() }
    : { upgradedState: encodeDynamic(upgraded, type), diagnostics: diags.toWire() };
}
