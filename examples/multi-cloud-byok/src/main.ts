/**
 * The app: `node dist/main.js` (or `cdktf synth`) writes cdktf.out/stacks/multi-cloud-byok.
 * Clouds from the environment (`eval "$(keyplane dev env)"`); KEYPLANE_EXAMPLE_ROTATE_TRIGGER,
 * when set, becomes the key's rotate trigger (change it to rotate).
 */
import { App } from 'cdktf';
import { settingsFromEnv } from './settings';
import { MultiCloudByokStack } from './stack';

function main(): void {
  const app = new App();
  const rotateTrigger = process.env.KEYPLANE_EXAMPLE_ROTATE_TRIGGER;
  new MultiCloudByokStack(app, 'multi-cloud-byok', {
    clouds: settingsFromEnv(process.env),
    ...(rotateTrigger ? { rotateTrigger } : {}),
  });
  app.synth();
}

try {
  main();
} catch (e) {
  // A user sees one line naming what to fix, not a stack trace (KEYPLANE_DEBUG=1 shows it).
  process.stderr.write(
    `error: ${process.env.KEYPLANE_DEBUG ? String((e as Error).stack) : (e as Error).message}\n`,
  );
  process.exitCode = 1;
}
