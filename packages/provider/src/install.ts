/**
 * Installing the provider where `terraform init` finds it without a registry: Terraform's
 * unpacked filesystem-mirror layout `HOST/NAMESPACE/TYPE/VERSION/OS_ARCH/terraform-provider-TYPE_vVERSION`
 * (terraform `internal/providercache/cached_provider.go`; website/docs/cli/config/config-file.mdx
 * "filesystem_mirror"). The installed file is a small launcher that execs this Node installation
 * on this package's dist/main.js, so the mirror follows the installed package: re-run the install
 * after moving or upgrading it.
 *
 * @module
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { PROVIDER_VERSION } from './provider/definition';

export const PROVIDER_HOST = 'registry.terraform.io';
export const PROVIDER_NAMESPACE = 'keyplane';
export const PROVIDER_TYPE = 'keyplane';

const OS: Readonly<Record<string, string>> = {
  linux: 'linux',
  darwin: 'darwin',
  win32: 'windows',
  freebsd: 'freebsd',
};
const ARCH: Readonly<Record<string, string>> = {
  x64: 'amd64',
  arm64: 'arm64',
  ia32: '386',
  arm: 'arm',
};

/** Terraform's platform name for this machine, e.g. `linux_amd64`. */
export function terraformPlatform(
  platform: string = process.platform,
  arch: string = process.arch,
): string {
  const os = OS[platform];
  const cpu = ARCH[arch];
  if (os === undefined || cpu === undefined)
    throw new Error(`unsupported platform ${platform}/${arch}`);
  return `${os}_${cpu}`;
}

/** Terraform's implied local mirror for the current user (used when no CLI config says otherwise). */
export function defaultMirrorDir(): string {
  return join(homedir(), '.terraform.d', 'plugins');
}

export interface InstallOptions {
  /** Mirror root. */
  readonly dir: string;
  readonly version?: string;
  readonly platform?: string;
  /** Node executable the launcher runs (default: this one). */
  readonly node?: string;
  /** The provider entry point (default: this package's dist/main.js). */
  readonly entry?: string;
}

export interface InstallResult {
  readonly executable: string;
  readonly mirrorDir: string;
  readonly version: string;
  readonly cliConfig: string;
}

export function mirrorCliConfig(mirrorDir: string): string {
  const include = `${PROVIDER_HOST}/${PROVIDER_NAMESPACE}/*`;
  return [
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(mirrorDir)}`,
    `    include = [${JSON.stringify(include)}]`,
    '  }',
    '  direct {',
    `    exclude = [${JSON.stringify(include)}]`,
    '  }',
    '}',
    '',
  ].join('\n');
}

export function installProvider(options: InstallOptions): InstallResult {
  const platform = options.platform ?? terraformPlatform();
  if (platform.startsWith('windows_')) {
    throw new Error(
      'keyplane provider install writes a POSIX shell launcher; Windows needs a native executable, which is not built yet',
    );
  }
  const version = options.version ?? PROVIDER_VERSION;
  const mirrorDir = resolve(options.dir);
  const platformDir = join(
    mirrorDir,
    PROVIDER_HOST,
    PROVIDER_NAMESPACE,
    PROVIDER_TYPE,
    version,
    platform,
  );
  mkdirSync(platformDir, { recursive: true });
  const executable = join(platformDir, `terraform-provider-${PROVIDER_TYPE}_v${version}`);
  const entry = options.entry ?? resolve(__dirname, '..', 'dist', 'main.js');
  const node = options.node ?? process.execPath;
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  writeFileSync(
    executable,
    [
      '#!/bin/sh',
      `# terraform-provider-keyplane ${version}, installed by 'keyplane provider install'.`,
      '# exec: Terraform signals the process it started, so no shell may stay in between.',
      `exec ${quote(node)} ${quote(entry)} "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(executable, 0o755);
  return { executable, mirrorDir, version, cliConfig: mirrorCliConfig(mirrorDir) };
}
