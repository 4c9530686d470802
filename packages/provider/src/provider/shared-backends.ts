/**
 * Backend connections shared by every managed key of one provider process that has the same
 * connection configuration (module + token + PIN, region + endpoint + credentials, …).
 * A plan refreshes every managed key; without sharing, 500 keys on one HSM token meant 500
 * PKCS#11 logins and session pools, and 500 KMS clients. The engine closes a connection
 * when a managed key changes; a shared one stays open for the others (it is the same
 * connection, only a key reference differs) and ends with the provider process.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import type { BackendConfig, KmsBackend } from '@keyplane/engine';

type Opener = (config: BackendConfig) => Promise<KmsBackend>;

/** Identity of a connection configuration (hashed: it holds PINs and secret keys). */
function connectionId(config: BackendConfig): string {
  return createHash('sha256')
    .update(JSON.stringify(config, (_k, v: unknown) => (typeof v === 'function' ? 'fn' : v)))
    .digest('hex');
}

export function sharedBackends(open: Opener): Opener {
  const open_ = new Map<string, Promise<KmsBackend>>();
  return (config) => {
    const id = connectionId(config);
    let backend = open_.get(id);
    if (backend === undefined) {
      backend = open(config);
      open_.set(id, backend);
      backend.catch(() => open_.delete(id));
    }
    // Every user gets a view whose close() leaves the shared connection open.
    return backend.then(
      (b) =>
        new Proxy(b, {
          get(target, name) {
            if (name === 'close') return () => Promise.resolve();
            const value: unknown = Reflect.get(target, name, target);
            return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
          },
        }),
    );
  };
}
