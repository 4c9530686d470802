// The construct package stays fast to load (synth runs on every `cdktf synth`): its engine
// checks come from the light subpaths. A structural check on a real node process; bench/
// measures the synth time.
import { resolve } from 'node:path';
import { heavyOf, loadedModules } from '../../cli/test/support/loaded-modules';
import { PACKAGE } from './support/flavor';

const ROOT = resolve(__dirname, '../../..');
const engineModules = (modules: readonly string[]) =>
  modules
    .filter((m) => m.startsWith('packages/engine/dist/'))
    .map((m) => m.slice('packages/engine/dist/'.length));

describe('modules loaded by the constructs', () => {
  it('@keyplane/engine/lifecycle-rules loads only the pure lifecycle checks', () => {
    const modules = loadedModules(['-e', "require('@keyplane/engine/lifecycle-rules')"], ROOT);
    expect(modules.filter((m) => !m.startsWith('packages/engine/dist/'))).toEqual([]);
    expect(engineModules(modules).sort()).toEqual([
      'algorithms/clouds.js',
      'algorithms/key-types.js',
      'algorithms/table.js',
      // The token export table (data): which key types and clouds HSM-origin keys allow.
      'algorithms/token-export.js',
      'backends/contract.js',
      // The environment table with the namespace rule (import-free): store/namespaces.js uses it.
      'env.js',
      'errors.js',
      'lifecycle/cloud-names.js',
      'lifecycle/compatibility.js',
      // checkDistributionTarget: compatibility + origin rules together (pure).
      'lifecycle/distribution-target.js',
      'lifecycle/key-collections.js',
      'lifecycle/names.js',
      'lifecycle/origin-rules.js',
      'lifecycle/rules.js',
      // Namespace names and ROOT_NAMESPACE: pure, needed for namespaced cloud key names.
      'store/namespaces.js',
    ]);
  });

  it(`${PACKAGE} loads no cloud SDK, store, BYOK or backend of the engine`, () => {
    const modules = loadedModules(['-e', `require('${PACKAGE}')`], ROOT);
    expect(modules).toContain(`packages/${PACKAGE.slice('@keyplane/'.length)}/dist/index.js`);
    expect(heavyOf(modules).filter((m) => m.includes('node_modules/'))).toEqual([]);
    expect(
      engineModules(modules).filter((m) =>
        /^(index\.js|store\/(?!namespaces)|byok\/|seal\/|audit\/|lifecycle\/(?!rules|cloud-names|compatibility|distribution-target|key-collections|names|origin-rules)|backends\/(?!contract|common\/loopback|gcp-kms\/algorithms))/.test(
          m,
        ),
      ),
    ).toEqual([]);
  });
});
