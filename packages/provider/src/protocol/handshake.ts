/**
 * go-plugin's launch contract (hashicorp/go-plugin `server.go`, `client.go`; the rpcplugin spec's
 * "HashiCorp go-plugin Compatibility" appendix): Terraform sets a magic cookie, offers protocol
 * versions and (AutoMTLS) its client certificate in the environment, and reads exactly one line
 * from stdout: `CORE|APP|NETWORK|ADDR|PROTOCOL|CERT`.
 *
 * @module
 */

/** Terraform's cookie for provider plugins (hashicorp/terraform `internal/plugin6/serve.go`). */
export const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
export const MAGIC_COOKIE_VALUE =
  'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';
export const CORE_PROTOCOL_VERSION = 1;
/** The tfplugin major version served. */
export const APP_PROTOCOL_VERSION = 6;

export const NOT_A_PLUGIN_MESSAGE = [
  'This binary is a plugin. These are not meant to be executed directly.',
  'Please execute the program that consumes these plugins, which will',
  'load any plugins automatically.',
  '',
  'terraform-provider-keyplane is the Keyplane Terraform provider: declare it in',
  'required_providers { keyplane = { source = "keyplane/keyplane" } } and run terraform.',
  "Install it into a local mirror with 'keyplane provider install'; for provider development",
  'run it with --debug and set TF_REATTACH_PROVIDERS as it prints.',
  '',
].join('\n');

export type LaunchCheck =
  | { readonly ok: true; readonly version: number }
  | { readonly ok: false; readonly message: string };

/** Checks the cookie and negotiates the protocol version from the environment. */
export function checkLaunch(env: NodeJS.ProcessEnv): LaunchCheck {
  if (env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    return { ok: false, message: NOT_A_PLUGIN_MESSAGE };
  }
  const offered = (env.PLUGIN_PROTOCOL_VERSIONS ?? String(APP_PROTOCOL_VERSION))
    .split(',')
    .map((v) => Number(v.trim()));
  if (!offered.includes(APP_PROTOCOL_VERSION)) {
    return {
      ok: false,
      message: `terraform-provider-keyplane speaks plugin protocol ${APP_PROTOCOL_VERSION}; the client offered ${offered.join(', ')} (Terraform >= 1.0 is required)\n`,
    };
  }
  return { ok: true, version: APP_PROTOCOL_VERSION };
}

/** The handshake line; the certificate is base64 of its DER without `=` padding (RawStdEncoding). */
export function handshakeLine(socketPath: string, certDer?: Uint8Array): string {
  const cert =
    certDer === undefined ? '' : Buffer.from(certDer).toString('base64').replace(/=+$/, '');
  return `${CORE_PROTOCOL_VERSION}|${APP_PROTOCOL_VERSION}|unix|${socketPath}|grpc|${cert}\n`;
}

export interface ParsedHandshake {
  readonly core: string;
  readonly app: string;
  readonly network: string;
  readonly address: string;
  readonly protocol: string;
  readonly certDer: Buffer;
  /** The server certificate as PEM ('' without AutoMTLS), for clients and tests. */
  readonly certPem: string;
}

/** Reads a handshake line the way go-plugin's client does (tests, benchmarks, tools). */
export function parseHandshakeLine(line: string): ParsedHandshake {
  const [core = '', app = '', network = '', address = '', protocol = '', cert = ''] = line
    .trim()
    .split('|');
  const certDer = Buffer.from(cert, 'base64');
  const b64 = certDer
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  const certPem =
    cert === '' ? '' : `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
  return { core, app, network, address, protocol, certDer, certPem };
}
