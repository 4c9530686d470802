/**
 * `keyplane provider install [--dir DIR]` — put terraform-provider-keyplane where
 * `terraform init` finds it without a registry: the unpacked filesystem-mirror layout
 * `registry.terraform.io/keyplane/keyplane/<version>/<os_arch>/terraform-provider-keyplane_v<version>`,
 * and print the CLI configuration that points Terraform at the mirror.
 *
 * @module
 */
import { defaultMirrorDir, installProvider } from 'terraform-provider-keyplane/install';
import type { CommandSpec } from '../command';
import { printResult } from '../output';

export const providerInstall: CommandSpec = {
  path: ['provider', 'install'],
  details: [
    'Without --dir the provider goes to ~/.terraform.d/plugins, a directory Terraform searches on',
    'its own when the CLI configuration has no provider_installation block. For any other',
    'directory, add the printed provider_installation block to ~/.terraformrc (or the file',
    'TF_CLI_CONFIG_FILE names). The installed file runs this Node.js on this installation of',
    'the provider: install again after moving or upgrading it.',
    '',
    'Example:',
    '  keyplane provider install --dir ./terraform-mirror',
  ].join('\n'),
  options: [
    {
      name: 'dir',
      type: 'string',
      valueName: 'dir',
      description: 'Mirror directory (default: ~/.terraform.d/plugins).',
    },
    { name: 'json', type: 'boolean', description: 'Print the result as JSON.' },
  ],
  run: async (ctx) => {
    const dir = typeof ctx.values.dir === 'string' ? ctx.values.dir : defaultMirrorDir();
    const result = installProvider({ dir });
    const implied = dir === defaultMirrorDir();
    await printResult(
      ctx,
      result,
      [
        `installed terraform-provider-keyplane ${result.version} into ${result.mirrorDir}`,
        `  ${result.executable}`,
        '',
        implied
          ? 'Terraform searches this directory by default. If your CLI configuration has a provider_installation block, add:'
          : 'Add this to your Terraform CLI configuration (~/.terraformrc, or the file TF_CLI_CONFIG_FILE names):',
        '',
        result.cliConfig.trimEnd(),
        '',
        'Then `terraform init` installs keyplane/keyplane from the mirror, offline.',
      ].join('\n'),
    );
  },
};
