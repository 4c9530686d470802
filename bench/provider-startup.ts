/**
 * Terraform provider cold start: wall time from spawning the real executable (the committed
 * launcher → node → dist/main.js, with Terraform's environment: cookie, protocol versions, an
 * AutoMTLS client certificate) to its handshake line on stdout — what Terraform waits for on
 * every one of its several launches per command. Measured side by side with a minimal Node
 * process that prints one line, alternating which goes first (budget: median ≤ 150 ms and
 * ≤ 2× the baseline). Also reported: start → first RPC answered over mTLS (grpc-js loaded).
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, credentials } from '@grpc/grpc-js';
import {
  MAGIC_COOKIE_VALUE,
  createServerCertificate,
  parseHandshakeLine,
} from 'terraform-provider-keyplane';
import { median } from './harness';

const EXECUTABLE = resolve(__dirname, '../../packages/provider/bin/terraform-provider-keyplane');

interface Identity {
  readonly certPem: string;
  readonly keyPem: string;
}

/** Terraform's side of AutoMTLS: any self-signed localhost certificate with its key will do. */
function clientIdentity(): Identity {
  const { certPem, keyPem } = createServerCertificate();
  return { certPem, keyPem };
}

/** ms from spawn to the first stdout line; `after` runs with the line before the kill. */
function timeToLine(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  after?: (line: string, t0: number) => Promise<number>,
): Promise<{ line: number; extra?: number }> {
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      const line = performance.now() - t0;
      child.stdout.removeAllListeners('data');
      const finish = (extra?: number) => {
        child.kill('SIGKILL');
        child.on('close', () => {
          resolvePromise(extra === undefined ? { line } : { line, extra });
        });
      };
      if (after === undefined) finish();
      else after(out.slice(0, nl), t0).then(finish, reject);
    });
    child.on('error', reject);
  });
}

function firstRpc(identity: Identity): (line: string, t0: number) => Promise<number> {
  return (line, t0) =>
    new Promise((resolvePromise, reject) => {
      const { address, certPem: pem } = parseHandshakeLine(line);
      const client = new Client(
        `unix:${address}`,
        credentials.createSsl(
          Buffer.from(pem),
          Buffer.from(identity.keyPem),
          Buffer.from(identity.certPem),
        ),
        { 'grpc.ssl_target_name_override': 'localhost' },
      );
      client.makeUnaryRequest(
        '/tfplugin6.Provider/GetMetadata',
        () => Buffer.alloc(0),
        (b: Buffer) => b,
        {},
        (e) => {
          client.close();
          if (e) reject(e);
          else resolvePromise(performance.now() - t0);
        },
      );
    });
}

export interface ProviderStartup {
  readonly providerMs: number;
  readonly baselineMs: number;
  readonly ratio: number;
  readonly firstRpcMs: number;
  readonly runs: number;
}

export async function benchProviderStartup(quick: boolean): Promise<ProviderStartup> {
  const identity = clientIdentity();
  const env = {
    PATH: process.env.PATH,
    TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE_VALUE,
    PLUGIN_PROTOCOL_VERSIONS: '5,6',
    PLUGIN_CLIENT_CERT: identity.certPem,
  };
  const baselineArgs = ['-e', "process.stdout.write('1|6|unix|/tmp/x|grpc|\\n')"];
  const provider: number[] = [];
  const baseline: number[] = [];
  const ratios: number[] = [];
  const rpc: number[] = [];
  const runs = quick ? 3 : 21;
  for (let i = 0; i < 2; i++) {
    await timeToLine(process.execPath, baselineArgs, env);
    await timeToLine(EXECUTABLE, [], env);
  }
  for (let i = 0; i < runs; i++) {
    const measureProvider = () =>
      timeToLine(EXECUTABLE, [], env, i % 3 === 0 ? firstRpc(identity) : undefined);
    const measureBaseline = () => timeToLine(process.execPath, baselineArgs, env);
    let p: { line: number; extra?: number };
    let b: { line: number };
    // Alternate which side goes first so neither always runs on a warmer machine.
    if (i % 2 === 0) {
      p = await measureProvider();
      b = await measureBaseline();
    } else {
      b = await measureBaseline();
      p = await measureProvider();
    }
    provider.push(p.line);
    baseline.push(b.line);
    ratios.push(p.line / b.line);
    if (p.extra !== undefined) rpc.push(p.extra);
  }
  return {
    providerMs: median(provider),
    baselineMs: median(baseline),
    ratio: median(ratios),
    firstRpcMs: median(rpc),
    runs,
  };
}

export function printProviderStartup(r: ProviderStartup): void {
  const ok = r.providerMs <= 150 && r.ratio <= 2 ? 'ok' : 'OVER';
  console.log(
    '\nTerraform provider cold start (spawn → handshake line, median of alternating runs)',
  );
  console.log(`  node printing one line      ${r.baselineMs.toFixed(1).padStart(7)} ms`);
  console.log(
    `  terraform-provider-keyplane ${r.providerMs.toFixed(1).padStart(7)} ms   ratio ${r.ratio.toFixed(2)}   budget ≤ 150 ms and ≤ 2.00: ${ok}`,
  );
  console.log(
    `  … to first RPC answered (mTLS, grpc-js loaded) ${r.firstRpcMs.toFixed(1)} ms   (${String(r.runs)} runs)`,
  );
}
