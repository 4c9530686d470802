export { main, COMMANDS } from './main';
export type { CommandSpec, OptionSpec } from './command';
