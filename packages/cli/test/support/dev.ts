/** Reading what `keyplane dev` hands out: its `export` lines and an Azure client for its vault. */
import { KeyClient } from '@azure/keyvault-keys';
import { readFileSync } from 'node:fs';
import { fakeCredential } from '../../../emulators/test/support/azure-sdk';

/** `export NAME='value'` lines (as `dev env` prints them) → { NAME: value }. */
export function parseExports(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const m of text.matchAll(/^export ([A-Z0-9_]+)='([^']*)'$/gm)) env[m[1] ?? ''] = m[2] ?? '';
  return env;
}

/** The real Azure SDK pointed at the dev vault, trusting only the emulator's CA, no retries. */
export function devAzureClient(env: Record<string, string>): KeyClient {
  return new KeyClient(env.KEYPLANE_AZURE_KEYVAULT_URL ?? '', fakeCredential, {
    tlsOptions: { ca: readFileSync(env.KEYPLANE_AZURE_CA_FILE ?? '', 'utf8') },
    disableChallengeResourceVerification: true,
    retryOptions: { maxRetries: 0 },
  });
}
