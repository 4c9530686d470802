/**
 * Crypto key labels. GCP versions carry no labels, so the Keyplane version ↔ GCP version map
 * lives on the crypto key: `keyplane-v<N>` = GCP version number, plus `keyplane-importing` = N
 * written before an import so a crashed import's version can be found and adopted.
 *
 * Label rules (https://cloud.google.com/kms/docs/creating-managing-labels): keys start with a
 * lowercase letter; keys and values use lowercase letters, digits, '_' and '-', ≤ 63 chars.
 * Raw names never become label keys.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { InvalidArgumentError } from '../../errors';
import { KEYPLANE_TAGS } from '../contract';

export const KEY_LABEL = KEYPLANE_TAGS.key;
export const IMPORTING_LABEL = 'keyplane-importing';
const VERSION_LABEL = /^keyplane-v(\d+)$/;
const LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const MAX_LABEL = 63;

export function versionLabel(keyplaneVersion: number): string {
  return `keyplane-v${String(keyplaneVersion)}`;
}

/**
 * A label-safe form of a name: lowercased, other characters → '_'. When that changed or
 * truncated the name, a short hash of the original keeps distinct names distinct.
 */
export function labelValue(raw: string): string {
  const safe = raw.toLowerCase().replace(/[^a-z0-9_-]/g, '_');
  if (safe === raw && safe.length <= MAX_LABEL) return safe;
  const digest = createHash('sha256').update(raw).digest('hex').slice(0, 8);
  return `${safe.slice(0, MAX_LABEL - 9)}-${digest}`;
}

/** User tags as labels: keys must already be valid label keys; values are made safe. */
export function tagLabels(
  tags: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags ?? {})) {
    if (!LABEL_KEY.test(key)) {
      throw new InvalidArgumentError(
        `tag key '${key}' is not a valid GCP label key (lowercase letter first, then lowercase letters, digits, '_' or '-', at most 63)`,
        { field: 'tags' },
      );
    }
    labels[key] = labelValue(value);
  }
  return labels;
}

/** GCP version number → Keyplane version, from the `keyplane-v<N>` labels. */
export function versionMap(
  labels: Readonly<Record<string, string>> | null | undefined,
): Map<string, number> {
  const map = new Map<string, number>();
  for (const [key, value] of Object.entries(labels ?? {})) {
    const match = VERSION_LABEL.exec(key);
    if (match?.[1] !== undefined) map.set(value, Number(match[1]));
  }
  return map;
}
