/** The security team's library (`@acme/keys`) and the app stack that consumes it. */
export * from './acme-keys';
export { PaymentsStack, type PaymentsStackProps } from './payments-stack';
