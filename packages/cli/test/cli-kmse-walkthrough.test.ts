/**
 * README's "Key management (Vault KMSE)" walkthroughs, run line by line through the real
 * `keyplane` executable against the local clouds (`startDevStack`, the same stack `keyplane dev
 * up` runs, with the environment `keyplane dev env` prints). The commands come from the README
 * itself, so the documented walkthrough cannot drift from what works.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDevStack, type DevStack } from '@keyplane/emulators';
import { cliSandbox, type CliSandbox, type Run } from './support/cli';

jest.setTimeout(240_000);

/** The `keyplane …` lines of the code blocks marked `<!-- kmse-walkthrough`, continuations joined. */
function walkthroughBlocks(): string[][] {
  const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
  return [...readme.matchAll(/<!-- kmse-walkthrough[^>]*-->\n```sh\n([\s\S]*?)```/g)].map((m) =>
    (m[1] ?? '')
      .replace(/\\\n\s*/g, '')
      .split('\n')
      .map((line) => line.replace(/\s+#.*$/, '').trim())
      .filter((line) => line.startsWith('keyplane ') && !line.startsWith('keyplane dev ')),
  );
}

const expand = (line: string, env: Readonly<Record<string, string>>): string[] =>
  line
    .split(/\s+/)
    .slice(1)
    .map((word) => word.replace(/\$([A-Z0-9_]+)/g, (_, name: string) => env[name] ?? ''));

describe('README KMSE walkthrough', () => {
  let sandbox: CliSandbox;
  let stack: DevStack | undefined;
  let env: Record<string, string>;
  beforeAll(async () => {
    sandbox = cliSandbox();
    mkdirSync(sandbox.path('dev'));
    const started = await startDevStack({ stateDir: sandbox.path('dev') });
    stack = started;
    env = { ...started.env, KEYPLANE_SEAL_PASSPHRASE: 'dev-only-passphrase' };
    writeFileSync(sandbox.path('azure-secret.txt'), 'my-client-secret\n');
  });
  afterAll(async () => {
    await stack?.close();
    sandbox.dispose();
  });

  const run = async (line: string): Promise<Run> => {
    const result = await sandbox.runAsync(expand(line, env), { env });
    if (result.status !== 0)
      throw new Error(`${line}\nexit ${String(result.status)}: ${result.stderr}`);
    return result;
  };

  it('finds both walkthroughs in the README', () => {
    expect(walkthroughBlocks().map((b) => b.length)).toEqual([13, 15]);
  });

  it('replays seed 000 (Azure): every command succeeds with no third-party noise', async () => {
    const outputs = new Map<string, Run>();
    for (const line of walkthroughBlocks()[0] ?? []) {
      const result = await run(line);
      outputs.set(line.split(' ').slice(1, 3).join(' '), result);
      // The first command initializes the store (the passphrase seal says once it is for development).
      expect(result.stderr.replace(/^warning: the passphrase seal[^\n]*\n/, '')).toBe('');
    }
    const read = outputs.get('kms read')?.stdout ?? '';
    expect(read).toContain('client_id,client_secret,tenant_id');
    expect(read).not.toContain('my-client-secret');
    expect(outputs.get('key read')?.stdout).toMatch(/1: enabled created .* sha256:[0-9a-f]{64}/);
    expect(outputs.get('kms distributions')?.stdout).toBe('azure-kv-key-rsa-4096\n');
    expect(outputs.get('kms read-key')?.stdout).toMatch(/1: https:\/\/.*\(enabled\)/);
  });

  it('runs the multi-cloud variant: one key in four KMSs, rotation reaching each', async () => {
    for (const line of walkthroughBlocks()[1] ?? []) {
      const result = await run(line);
      expect(result.stderr).toBe('');
    }
    const key = JSON.parse((await run('keyplane key read root-signer --json')).stdout) as {
      latest_version: number;
      distributions: string[];
    };
    expect(key).toMatchObject({ latest_version: 2, distributions: ['aws', 'azure', 'gcp', 'hsm'] });
    for (const kms of key.distributions) {
      const d = JSON.parse(
        (await run(`keyplane kms read-key ${kms} root-signer --json`)).stdout,
      ) as {
        versions: Record<string, unknown>;
      };
      expect(Object.keys(d.versions)).toEqual(['1', '2']);
    }
    // The HSM-origin key: generated in the token, its public key the one GCP holds.
    const born = JSON.parse((await run('keyplane key read hsm-born --json')).stdout) as {
      origin: string;
      versions: Record<string, { fingerprint: string }>;
    };
    expect(born.origin).toBe('hsm:hsm');
    const inGcp = JSON.parse((await run('keyplane kms read-key gcp hsm-born --json')).stdout) as {
      versions: Record<string, unknown>;
    };
    expect(Object.keys(inGcp.versions)).toEqual(['1']);
    expect(born.versions['1']?.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    const refused = await sandbox.runAsync(
      ['kms', 'distribute', 'aws', 'root-signer', 'purpose=sign,encrypt'],
      { env },
    );
    // Exit 2: a name=value the engine refuses (the message names it and what is allowed).
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/purpose .* awskms .*rsa-2048|rsa-2048.*awskms/);
  });
});
