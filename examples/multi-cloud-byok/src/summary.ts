/**
 * `node dist/summary.js <terraform-outputs.json>`: the demo's summary of an applied stack — the
 * key, its versions and, per version, where it lives in each cloud with the fingerprint that
 * cloud's own SDK serves (read-back.ts). Exits 1 when a cloud lacks a version or serves another
 * public key than the key's.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import {
  CLOUDS,
  CLOUD_LABELS,
  closeCloudSdks,
  devCloudSdks,
  readBackAll,
  type Cloud,
  type CloudVersion,
  type ReadBack,
} from './read-back';

type Outputs = Record<string, { readonly value: unknown } | undefined>;
type KeyVersions = Record<string, { readonly fingerprint: string; readonly state: string }>;

const cloudList = (clouds: readonly Cloud[]): string =>
  clouds.map((c) => CLOUD_LABELS[c].name).join(', ');

/** The summary lines and whether every cloud serves every version with the key's fingerprint. */
export function summarize(
  keyName: string,
  keyVersions: KeyVersions,
  reads: readonly ReadBack[],
): { lines: string[]; ok: boolean } {
  const lines = [`Key ${keyName}: versions ${Object.keys(keyVersions).join(', ')}`];
  let ok = true;
  for (const [version, { fingerprint, state }] of Object.entries(keyVersions)) {
    lines.push(`  v${version} (${state})  ${fingerprint}  (Keyplane)`);
    const equal: Cloud[] = [];
    for (const cloud of CLOUDS) {
      const label = CLOUD_LABELS[cloud];
      const read = reads.find((r) => r.cloud === cloud && r.version === version);
      const same = read?.fingerprint === fingerprint;
      if (same) equal.push(cloud);
      lines.push(
        `    ${label.name.padEnd(16)} ${label.call.padEnd(13)} ` +
          (read === undefined
            ? '✘ version missing'
            : `${read.fingerprint} ${same ? '✔' : '✘ differs'}  ${read.location}`),
      );
    }
    if (equal.length === CLOUDS.length)
      lines.push(`  ✔ fingerprints equal: version ${version} in ${cloudList(CLOUDS)}`);
    else ok = false;
  }
  return { lines, ok };
}

async function main(outputsFile: string): Promise<boolean> {
  const outputs = JSON.parse(readFileSync(outputsFile, 'utf8')) as Outputs;
  const value = (name: string): unknown => {
    const output = outputs[name];
    if (output === undefined) throw new Error(`${outputsFile} has no output '${name}'`);
    return output.value;
  };
  const keyName = String(value('key_name'));
  const versions = Object.fromEntries(CLOUDS.map((c) => [c, value(`${c}_versions`)])) as Record<
    Cloud,
    Record<string, CloudVersion>
  >;
  const sdks = devCloudSdks(process.env);
  try {
    const reads = await readBackAll(sdks, keyName, versions);
    const { lines, ok } = summarize(keyName, value('key_versions') as KeyVersions, reads);
    process.stdout.write(`${lines.join('\n')}\n`);
    return ok;
  } finally {
    await closeCloudSdks(sdks);
  }
}

const [outputsFile] = process.argv.slice(2);
if (outputsFile === undefined) {
  process.stderr.write('usage: node dist/summary.js <terraform-outputs.json>\n');
  process.exitCode = 2;
} else {
  main(outputsFile).then(
    (ok) => {
      if (!ok) process.exitCode = 1;
    },
    (e: unknown) => {
      process.stderr.write(`error: reading the keys back from the clouds failed: ${String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
