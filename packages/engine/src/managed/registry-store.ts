/**
 * Where the managed-key registry lives. {@link RegistryStore} is the seam the key store issue
 * replaces (sqlite / postgres); until then {@link FileRegistryStore} keeps one JSON file:
 * written atomically (temp file + rename, mode 0600), updates serialized across processes by
 * an exclusive lock file, so two CLI invocations never lose each other's writes.
 *
 * @module
 */
import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { BackendError, InvalidArgumentError } from '../errors';
import { EMPTY_REGISTRY, type RegistryData } from './records';

export interface RegistryStore {
  read(): Promise<RegistryData>;
  /** Read-modify-write under a lock; `change` returns the new data and a result. */
  update<T>(change: (data: RegistryData) => { data: RegistryData; result: T }): Promise<T>;
}

export const REGISTRY_ENV = 'KEYPLANE_REGISTRY';
export const DEFAULT_REGISTRY_PATH = join('.keyplane', 'registry.json');

const LOCK_STALE_MS = 30_000;
const LOCK_WAIT_MS = 10_000;

export class FileRegistryStore implements RegistryStore {
  constructor(readonly path: string) {}

  /** The registry at $KEYPLANE_REGISTRY, else ./.keyplane/registry.json. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): FileRegistryStore {
    return new FileRegistryStore(env[REGISTRY_ENV] ?? DEFAULT_REGISTRY_PATH);
  }

  read(): Promise<RegistryData> {
    return Promise.resolve(this.load());
  }

  async update<T>(change: (data: RegistryData) => { data: RegistryData; result: T }): Promise<T> {
    const release = await this.lock();
    try {
      const { data, result } = change(this.load());
      this.save(data);
      return result;
    } finally {
      release();
    }
  }

  private load(): RegistryData {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_REGISTRY;
      throw e;
    }
    const data = JSON.parse(text) as Partial<RegistryData>;
    if (data.format !== 1 || typeof data.managed_keys !== 'object') {
      throw new InvalidArgumentError(`${this.path} is not a Keyplane registry (format 1)`, {
        field: REGISTRY_ENV,
      });
    }
    return { ...EMPTY_REGISTRY, ...data };
  }

  private save(data: RegistryData): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.${String(process.pid)}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.path);
  }

  /** O_EXCL lock file; a lock older than LOCK_STALE_MS (crashed holder) is broken. */
  private async lock(): Promise<() => void> {
    const lockPath = `${this.path}.lock`;
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        closeSync(openSync(lockPath, 'wx', 0o600));
        return () => {
          rmSync(lockPath, { force: true });
        };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const age = Date.now() - statMtime(lockPath);
        if (age > LOCK_STALE_MS) rmSync(lockPath, { force: true });
        else if (Date.now() > deadline) {
          throw new BackendError(`registry ${this.path} is locked by another process`, {
            backendCode: 'EEXIST',
          });
        } else await new Promise((r) => setTimeout(r, 20));
      }
    }
  }
}

function statMtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return Date.now();
  }
}
