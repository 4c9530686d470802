/**
 * Command output: one human line, or `--json` metadata. Only public data ever reaches here.
 *
 * @module
 */
import type { CommandContext } from './command';

export async function printResult(ctx: CommandContext, data: object, human: string): Promise<void> {
  await printText(ctx, ctx.values.json === true ? JSON.stringify(data, null, 2) : human);
}

/** Writes one block of text (plus newline) to stdout and waits until it is flushed. */
export async function printText(ctx: CommandContext, text: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    ctx.stdout.write(`${text}\n`, (err) => {
      if (err) reject(err);
      else resolve();
    });
  });
}
