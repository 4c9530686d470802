/**
 * The secret scanner every Keyplane e2e ends with: the state file, the saved plan as
 * `terraform show -json` prints it, terraform's TF_LOG=debug log (provider logs included) and
 * the store file (+ WAL) must hold none of the given secrets (PINs, passphrases, credentials)
 * and no private key PEM or PKCS#8 DER header at all.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** PEM armour of any private key, and the DER prefix of an unencrypted PKCS#8 EC/RSA key. */
const PRIVATE_MARKERS = [Buffer.from('PRIVATE KEY-----'), Buffer.from('BEGIN EC PRIVATE')];

export interface ScanTarget {
  readonly name: string;
  /** File path (read if it exists) or content. */
  readonly file?: string;
  readonly text?: string;
}

/** What an e2e scans: state (+ backup) in `dir`, saved plans' JSON, the TF_LOG file, the store. */
export function e2eArtifacts(a: {
  readonly dir: string;
  readonly plans: readonly string[];
  readonly log: string;
  readonly store: string;
}): ScanTarget[] {
  return [
    { name: 'state', file: join(a.dir, 'terraform.tfstate') },
    { name: 'state backup', file: join(a.dir, 'terraform.tfstate.backup') },
    ...a.plans.map((text, i) => ({ name: `plan ${String(i)}`, text })),
    { name: 'TF_LOG=debug', file: a.log },
    { name: 'store', file: a.store },
  ];
}

/** Names of the targets and what was found in them; [] when clean. */
export function scanForSecrets(
  targets: readonly ScanTarget[],
  secrets: readonly string[],
): string[] {
  const found: string[] = [];
  for (const t of targets) {
    const files =
      t.file === undefined ? [] : [t.file, `${t.file}-wal`].filter((f) => existsSync(f));
    const bodies = [
      ...files.map((f) => readFileSync(f)),
      ...(t.text === undefined ? [] : [Buffer.from(t.text)]),
    ];
    for (const body of bodies) {
      for (const s of secrets) if (body.includes(Buffer.from(s))) found.push(`${t.name}: a secret`);
      for (const m of PRIVATE_MARKERS)
        if (body.includes(m)) found.push(`${t.name}: private key material (${m.toString()})`);
    }
  }
  return found;
}
