/**
 * CallFunction: decode each argument with its parameter type, run the function, encode the
 * result; a FunctionError (or anything thrown) becomes the response's FunctionError.
 *
 * @module
 */
import { decodeMsgpack } from '../../protocol/cty/msgpack';
import type { CtyValue } from '../../protocol/cty/values';
import type { CallFunctionRequest, CallFunctionResponse } from '../../protocol/messages';
import { FunctionError } from '../function';
import { encodeDynamic, type ServerState } from './context';

export function callFunction<C>(
  state: ServerState<C>,
  req: CallFunctionRequest,
): CallFunctionResponse {
  const fn = state.definition.functions.find((f) => f.name === req.name);
  if (fn === undefined) return { error: { text: `this provider has no function "${req.name}"` } };
  try {
    const args: CtyValue[] = req.arguments.map((dv, i) => {
      const param = fn.parameters[i] ?? fn.variadicParameter;
      if (param === undefined)
        throw new FunctionError(`too many arguments: ${fn.name} takes ${fn.parameters.length}`, i);
      return dv.msgpack && dv.msgpack.length > 0 ? decodeMsgpack(dv.msgpack, param.type) : null;
    });
    return { result: encodeDynamic(fn.run(args), fn.returnType) };
  } catch (e) {
    if (e instanceof FunctionError) {
      return {
        error: {
          text: e.message,
          ...(e.argument === undefined ? {} : { functionArgument: e.argument }),
        },
      };
    }
    state.logger.error('function failed', {
      function: fn.name,
      error: e instanceof Error ? e.message : String(e),
    });
    return { error: { text: e instanceof Error ? e.message : String(e) } };
  }
}
