export { main, runProcess, specOf, COMMANDS, type CommandEntry } from './main';
export type { CommandSpec, OptionSpec } from './command';
