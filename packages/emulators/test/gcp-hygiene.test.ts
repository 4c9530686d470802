/**
 * Network hygiene (kms-wire-protocols.md §1): the loopback guard every GCP suite installs is
 * not vacuous, and the client setup disables metadata-server detection.
 */
import dns from 'node:dns';
import net from 'node:net';
import { installLoopbackGuard } from './support/gcp-client';

test('METADATA_SERVER_DETECTION is none', () => {
  expect(process.env.METADATA_SERVER_DETECTION).toBe('none');
});

test('the loopback guard refuses and records the metadata server', () => {
  const guard = installLoopbackGuard();
  try {
    expect(() => net.connect(80, '169.254.169.254')).toThrow(/refused connection/);
    expect(() => {
      dns.lookup('metadata.google.internal', () => undefined);
    }).toThrow(/refused DNS lookup/);
    const local = net.connect({ port: 9, host: '127.0.0.1' });
    local.on('error', () => undefined);
    local.destroy();
  } finally {
    guard.restore();
  }
  expect(guard.violations).toEqual(['connect 169.254.169.254', 'lookup metadata.google.internal']);
});
