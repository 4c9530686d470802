/**
 * The engine, loaded on first use: Terraform launches the provider several times per command
 * and most launches (schema, validate) never need it, so it stays off the start-up path.
 *
 * @module
 */
type Engine = typeof import('@keyplane/engine');

let loaded: Engine | undefined;

export function engine(): Engine {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('@keyplane/engine') as Engine;
  return loaded;
}

type EngineInternal = typeof import('@keyplane/engine/internal');

let loadedInternal: EngineInternal | undefined;

/** The engine's building blocks (openWithLocalAuth), loaded with the engine. */
export function engineInternal(): EngineInternal {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loadedInternal ??= require('@keyplane/engine/internal') as EngineInternal;
  return loadedInternal;
}

type EnginePolicy = typeof import('@keyplane/engine/policy');

let loadedPolicy: EnginePolicy | undefined;

/** The pure policy modules only (parse, evaluate): what validate and plan need. */
export function enginePolicy(): EnginePolicy {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loadedPolicy ??= require('@keyplane/engine/policy') as EnginePolicy;
  return loadedPolicy;
}
