/** `node dist/main.js` (or `cdktf synth`): writes cdktf.out/stacks/payments. */
import { App } from 'cdktf';
import { PaymentsStack } from './payments-stack';

const app = new App();
new PaymentsStack(app, 'payments');
app.synth();
