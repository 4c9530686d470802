// Runs in every test file before its imports (jest `setupFiles`). The test process's own AWS SDK
// clients (emulator and e2e tests talk to the AWS KMS emulator with the real SDK) would print the
// SDK's 9-line NodeVersionSupportWarning into the CI log on Node < 22. This is the SDK's
// documented switch (https://github.com/aws/aws-sdk-js-v3/issues/7983), defaulted the way the CLI
// (packages/cli/src/main.ts) and the engine's KMS client do it for users; a value the runner sets
// wins. packages/cli/test/cli-aws-warning.test.ts deletes it to test the CLI's own silencing.
'use strict';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
