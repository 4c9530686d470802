/**
 * Command output: one human line, or `--json` metadata. Only public data ever reaches here.
 *
 * @module
 */
import type { CommandContext } from './command';

export async function printResult(ctx: CommandContext, data: object, human: string): Promise<void> {
  const text = ctx.values.json === true ? `${JSON.stringify(data, null, 2)}\n` : `${human}\n`;
  await new Promise<void>((resolve, reject) => {
    ctx.stdout.write(text, (err) => {
      if (err) reject(err);
      else resolve();
    });
  });
}
