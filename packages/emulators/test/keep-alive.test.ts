/**
 * Idle keep-alive connections survive a pause longer than Node's default server timeout (5 s):
 * the SDKs' agents keep idle sockets indefinitely (Node 20 ignores the server's Keep-Alive
 * hint), so a server that closed them after 5 s raced every request sent after such a pause —
 * the ECONNRESET azure-byok.test.ts hit under load. A keep-alive agent like the SDKs' makes
 * one request, waits 6 s, and must reach the emulator on the same socket (with the old 5 s
 * timeout the second request died with "socket hang up"), for AWS (HTTP),
 * Azure (HTTPS) and the GCP control endpoint.
 */
import { Agent as HttpAgent, get as httpGet, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, get as httpsGet } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { startAwsKmsEmulator, type AwsKmsEmulator } from '../src/aws-kms';
import { startAzureKeyVaultEmulator, type AzureKeyVaultEmulator } from '../src/azure-key-vault';
import { startGcpKmsEmulator, type GcpKmsEmulator } from '../src/gcp-kms';

let aws: AwsKmsEmulator;
let azure: AzureKeyVaultEmulator;
let gcp: GcpKmsEmulator;

beforeAll(async () => {
  [aws, azure, gcp] = await Promise.all([
    startAwsKmsEmulator(),
    startAzureKeyVaultEmulator(),
    startGcpKmsEmulator(),
  ]);
});
afterAll(async () => {
  await Promise.all([aws.close(), azure.close(), gcp.close()]);
});

/** GET `url` through `agent`; resolves with the local port of the socket that carried it. */
function localPortOf(url: string, agent: HttpAgent, ca?: string): Promise<number> {
  const get = url.startsWith('https:') ? httpsGet : httpGet;
  return new Promise((resolve, reject) => {
    const req = get(url, { agent, ...(ca === undefined ? {} : { ca }) }, (res: IncomingMessage) => {
      const port = res.socket.localPort ?? -1;
      res.resume();
      res.on('end', () => {
        resolve(port);
      });
    });
    req.on('error', reject);
  });
}

it('an idle connection is still open after 6 s and carries the next request', async () => {
  const targets = [
    { url: `${aws.url}/_keyplane/health`, agent: new HttpAgent({ keepAlive: true }) },
    {
      url: `${azure.url}/_keyplane/health`,
      agent: new HttpsAgent({ keepAlive: true }),
      ca: azure.caPem,
    },
    { url: `${gcp.controlUrl}/_keyplane/health`, agent: new HttpAgent({ keepAlive: true }) },
  ];
  const first = await Promise.all(targets.map((t) => localPortOf(t.url, t.agent, t.ca)));
  await sleep(6000);
  const second = await Promise.all(targets.map((t) => localPortOf(t.url, t.agent, t.ca)));
  expect(second).toEqual(first);
  for (const t of targets) t.agent.destroy();
}, 20_000);
