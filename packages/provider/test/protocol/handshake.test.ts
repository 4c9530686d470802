/**
 * The real executable, launched as Terraform launches it: cookie check, exactly one handshake
 * line, AutoMTLS with a fresh P-256 certificate per process, and verification of the client
 * certificate — a process without Terraform's client key cannot drive the provider.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import {
  EXECUTABLE,
  dial,
  getMetadata,
  launch,
  opensslIdentity,
  shutdown,
  terraformEnv,
  type PluginProcess,
} from '../support/plugin-process';

const terraform = opensslIdentity();
const stranger = opensslIdentity();
const running: PluginProcess[] = [];

afterEach(() => {
  for (const p of running.splice(0)) p.child.kill('SIGKILL');
});

async function start(): Promise<PluginProcess> {
  const p = await launch(terraformEnv(terraform));
  running.push(p);
  return p;
}

it('tells a human running the binary what it is, on stderr, exit 1', () => {
  const r = spawnSync(EXECUTABLE, [], { encoding: 'utf8', env: { PATH: process.env.PATH } });
  expect(r.status).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain(
    'This binary is a plugin. These are not meant to be executed directly.',
  );
  expect(r.stderr).toContain('keyplane provider install');
});

it('refuses a client that does not offer protocol 6', () => {
  const r = spawnSync(EXECUTABLE, [], {
    encoding: 'utf8',
    env: { ...terraformEnv(terraform), PATH: process.env.PATH, PLUGIN_PROTOCOL_VERSIONS: '4,5' },
  });
  expect(r.status).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain('speaks plugin protocol 6; the client offered 4, 5');
});

it('prints one go-plugin handshake line with a P-256 localhost certificate', async () => {
  const p = await start();
  const h = p.handshake;
  expect([h.core, h.app, h.network, h.protocol]).toEqual(['1', '6', 'unix', 'grpc']);
  expect(existsSync(h.address)).toBe(true);
  expect(p.stdout().split('|')[5]).not.toContain('=');
  const cert = new X509Certificate(h.certDer);
  expect(cert.subjectAltName).toBe('DNS:localhost');
  expect(cert.ca).toBe(true);
  expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  expect(cert.verify(cert.publicKey)).toBe(true);
  expect(new Date(cert.validFrom).getTime()).toBeLessThanOrEqual(Date.now());
});

it('serves Terraform (its client certificate), then exits on Shutdown with nothing more on stdout', async () => {
  const p = await start();
  const client = dial(p.handshake, terraform);
  const meta = await getMetadata(client);
  expect(meta.functions).toEqual([{ name: 'fingerprint' }, { name: 'compatible' }]);
  expect(meta.serverCapabilities).toMatchObject({ getProviderSchemaOptional: true });
  await shutdown(client);
  client.close();
  expect(await p.exited()).toBe(0);
  expect(
    p
      .stdout()
      .split('\n')
      .filter((l) => l !== ''),
  ).toHaveLength(1);
  expect(existsSync(dirname(p.handshake.address))).toBe(false);
});

it('refuses a client with another certificate, and one with none', async () => {
  const p = await start();
  const intruder = dial(p.handshake, stranger);
  await expect(getMetadata(intruder)).rejects.toMatchObject({ code: 14 }); // UNAVAILABLE: TLS refused
  intruder.close();
  const anonymous = dial(p.handshake);
  await expect(getMetadata(anonymous)).rejects.toMatchObject({ code: 14 });
  anonymous.close();
  const legit = dial(p.handshake, terraform);
  await expect(getMetadata(legit)).resolves.toHaveProperty('functions');
  legit.close();
});

it('makes a fresh certificate in every process', async () => {
  const [a, b] = await Promise.all([start(), start()]);
  expect(a.handshake.certDer.equals(b.handshake.certDer)).toBe(false);
});

it('ignores SIGINT (Terraform stops it with StopProvider) and exits on SIGTERM', async () => {
  const p = await start();
  p.child.kill('SIGINT');
  const client = dial(p.handshake, terraform);
  await expect(getMetadata(client)).resolves.toHaveProperty('functions');
  client.close();
  p.child.kill('SIGTERM');
  expect(await p.exited()).toBe(0);
});

it('--debug serves without a cookie and prints TF_REATTACH_PROVIDERS', async () => {
  const { spawn } = await import('node:child_process');
  const child = spawn(EXECUTABLE, ['--debug'], { env: { PATH: process.env.PATH } });
  let out = '';
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Stop with Ctrl-C')) resolve();
    });
  });
  const json = /TF_REATTACH_PROVIDERS='(.*)'/.exec(out)?.[1] ?? '{}';
  const entry = (
    JSON.parse(json) as Record<
      string,
      {
        Protocol: string;
        ProtocolVersion: number;
        Pid: number;
        Test: boolean;
        Addr: { Network: string; String: string };
      }
    >
  )['registry.terraform.io/keyplane/keyplane'];
  expect(entry).toMatchObject({
    Protocol: 'grpc',
    ProtocolVersion: 6,
    Pid: child.pid,
    Test: true,
    Addr: { Network: 'unix' },
  });
  expect(existsSync(entry?.Addr.String ?? '')).toBe(true);
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGINT');
  expect(await exited).toBe(0);
});
