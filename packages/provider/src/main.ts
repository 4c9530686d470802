/**
 * The executable's entry (bin/terraform-provider-keyplane). Only the light start-up path is
 * imported here; the framework and provider load after the handshake line.
 *
 * @module
 */
import { serve } from './protocol/serve';

void serve({
  load: (logger) => {
    /* eslint-disable @typescript-eslint/no-require-imports -- loaded after the handshake */
    const { createProviderServer } =
      require('./framework/server/provider-server') as typeof import('./framework/server/provider-server');
    const { keyplaneProvider } =
      require('./provider/definition') as typeof import('./provider/definition');
    /* eslint-enable @typescript-eslint/no-require-imports */
    return createProviderServer(keyplaneProvider(), { logger });
  },
}).catch((e: unknown) => {
  process.stderr.write(
    `terraform-provider-keyplane: ${e instanceof Error ? e.message : String(e)}\n`,
  );
  process.exit(1);
});
