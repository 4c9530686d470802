/**
 * ReadDataSource: decode config → read → the result must be wholly known.
 *
 * @module
 */
import { isWhollyKnown } from '../../protocol/cty/values';
import type { ReadDataSourceRequest, ReadDataSourceResponse } from '../../protocol/messages';
import type { DataSourceReadResponse } from '../data-source';
import { impliedType } from '../schema';
import {
  decodeDynamic,
  encodeDynamic,
  findDataSource,
  guarded,
  newDiagnostics,
  objectOrEmpty,
  type ServerState,
} from './context';

export async function readDataSource<C>(
  state: ServerState<C>,
  req: ReadDataSourceRequest,
): Promise<ReadDataSourceResponse> {
  const diags = newDiagnostics();
  const ds = findDataSource(state, req.typeName, diags);
  if (ds === undefined) return { diagnostics: diags.toWire() };
  const type = impliedType(ds.schema);
  const config = objectOrEmpty(decodeDynamic(req.config, type));
  const resp: DataSourceReadResponse = { state: config, diagnostics: diags };
  await guarded(diags, `Reading data source ${ds.typeName} failed`, () =>
    ds.read({ config, ctx: state.ctx, signal: state.stop.signal }, resp),
  );
  if (diags.hasErrors()) return { diagnostics: diags.toWire() };
  if (!isWhollyKnown(resp.state)) {
    diags.error(
      `${ds.typeName} returned unknown values`,
      'This is a bug in terraform-provider-keyplane; please report it.',
    );
    return { diagnostics: diags.toWire() };
  }
  return { state: encodeDynamic(resp.state, type), diagnostics: diags.toWire() };
}
