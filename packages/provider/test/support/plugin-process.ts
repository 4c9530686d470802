/**
 * Spawns the real provider executable the way Terraform does (cookie, protocol versions,
 * AutoMTLS client certificate in the environment) and dials it as Terraform does: mTLS with the
 * handshake certificate as the only root, server name `localhost`.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, credentials, type ServiceError } from '@grpc/grpc-js';
import { Root, type INamespace } from 'protobufjs/light';
import descriptor from '../../src/protocol/generated/protocol.json';
import {
  MAGIC_COOKIE_VALUE,
  parseHandshakeLine,
  type ParsedHandshake,
} from 'terraform-provider-keyplane';

export const EXECUTABLE = join(__dirname, '..', '..', 'bin', 'terraform-provider-keyplane');
export const protocol = Root.fromJSON(descriptor as unknown as INamespace);

export interface ClientIdentity {
  readonly certPem: string;
  readonly keyPem: string;
}

/** A self-signed client identity made by the openssl CLI (like go-plugin's: P-521, localhost). */
export function opensslIdentity(curve = 'P-521'): ClientIdentity {
  const dir = mkdtempSync(join(tmpdir(), 'kp-id-'));
  try {
    const r = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        `ec_paramgen_curve:${curve}`,
        '-nodes',
        '-subj',
        '/O=HashiCorp/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-days',
        '1',
        '-keyout',
        'k.pem',
        '-out',
        'c.pem',
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(r.stderr);
    return {
      certPem: readFileSync(join(dir, 'c.pem'), 'utf8'),
      keyPem: readFileSync(join(dir, 'k.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type Handshake = ParsedHandshake;
export const parseHandshake = parseHandshakeLine;

export interface PluginProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly handshake: Handshake;
  stdout(): string;
  stderr(): string;
  exited(): Promise<number | null>;
}

export function launch(env: NodeJS.ProcessEnv): Promise<PluginProcess> {
  const child = spawn(EXECUTABLE, [], { env: { PATH: process.env.PATH, ...env } });
  let out = '';
  let err = '';
  const exit = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      resolve(code);
    }),
  );
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        resolve({
          child,
          handshake: parseHandshake(out.slice(0, nl)),
          stdout: () => out,
          stderr: () => err,
          exited: () => exit,
        });
      }
    });
    void exit.then((code) => {
      reject(new Error(`provider exited ${String(code)} before the handshake: ${err}`));
    });
  });
}

export function terraformEnv(identity: ClientIdentity): NodeJS.ProcessEnv {
  return {
    TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE_VALUE,
    PLUGIN_PROTOCOL_VERSIONS: '5,6',
    PLUGIN_CLIENT_CERT: identity.certPem,
  };
}

/** A client for one handshake, with the given client identity (or none). */
export function dial(h: Handshake, identity?: ClientIdentity): Client {
  const creds = credentials.createSsl(
    Buffer.from(h.certPem),
    identity === undefined ? null : Buffer.from(identity.keyPem),
    identity === undefined ? null : Buffer.from(identity.certPem),
  );
  return new Client(`unix:${h.address}`, creds, {
    'grpc.ssl_target_name_override': 'localhost',
    'grpc.default_authority': 'localhost',
  });
}

/** One unary call by full method path; resolves to the decoded response as a plain object. */
export function call(
  client: Client,
  method: string,
  requestType: string,
  responseType: string,
  request: object = {},
): Promise<Record<string, unknown>> {
  const req = protocol.lookupType(requestType);
  const res = protocol.lookupType(responseType);
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      method,
      (m: object) => Buffer.from(req.encode(req.fromObject(m)).finish()),
      (b: Buffer) => res.toObject(res.decode(b), { defaults: false }),
      request,
      { deadline: Date.now() + 10_000 },
      (e: ServiceError | null, value?: Record<string, unknown>) => {
        if (e !== null) reject(e);
        else resolve(value ?? {});
      },
    );
  });
}

export const getMetadata = (client: Client) =>
  call(
    client,
    '/tfplugin6.Provider/GetMetadata',
    'tfplugin6.GetMetadata.Request',
    'tfplugin6.GetMetadata.Response',
  );
export const shutdown = (client: Client) =>
  call(client, '/plugin.GRPCController/Shutdown', 'plugin.Empty', 'plugin.Empty');
