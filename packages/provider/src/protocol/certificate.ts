/**
 * The provider's AutoMTLS server certificate: a fresh P-256 key per process, held in memory only
 * (the rpcplugin spec's "Temporary Keys and Certificates": a plugin MUST generate a unique key on
 * each execution), self-signed the way go-plugin signs its own (hashicorp/go-plugin `mtls.go`):
 * CN and SAN `localhost` (Go verifies the SAN, not the CN), CA, digitalSignature |
 * keyEncipherment | keyAgreement | certSign, EKU server + client, notBefore 30 s in the past.
 *
 * @module
 */
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import {
  bitString,
  bool,
  explicit,
  octets,
  oid,
  sequence,
  set,
  time,
  tlv,
  unsignedInteger,
  utf8,
} from './der-writer';

export interface ServerCertificate {
  /** The certificate, DER. */
  readonly der: Buffer;
  readonly certPem: string;
  readonly privateKey: KeyObject;
  /** PKCS#8 PEM of the private key, for the TLS stack only (never written anywhere). */
  readonly keyPem: string;
}

const ECDSA_WITH_SHA256 = sequence(oid('1.2.840.10045.4.3.2'));
const VALIDITY_MS = 30 * 365 * 24 * 3600 * 1000;

function name(): Buffer {
  return sequence(
    set(sequence(oid('2.5.4.10'), utf8('HashiCorp'))),
    set(sequence(oid('2.5.4.3'), utf8('localhost'))),
  );
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? sequence(oid(id), bool(true), octets(value)) : sequence(oid(id), octets(value));
}

export function createServerCertificate(now = new Date()): ServerCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const notBefore = new Date(now.getTime() - 30_000);
  const notAfter = new Date(now.getTime() + VALIDITY_MS);
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const extensions = sequence(
    extension('2.5.29.19', true, sequence(bool(true))), // basicConstraints: CA
    // keyUsage bits 0 (digitalSignature), 2 (keyEncipherment), 4 (keyAgreement), 5 (keyCertSign)
    extension('2.5.29.15', true, bitString(Buffer.of(0xac), 2)),
    extension(
      '2.5.29.37', // extKeyUsage: serverAuth, clientAuth
      false,
      sequence(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2')),
    ),
    extension('2.5.29.17', false, sequence(tlv(0x82, Buffer.from('localhost', 'ascii')))), // SAN
  );
  const tbs = sequence(
    explicit(0, tlv(0x02, Buffer.of(2))), // v3
    unsignedInteger(serial),
    ECDSA_WITH_SHA256,
    name(),
    sequence(time(notBefore), time(notAfter)),
    name(),
    spki,
    explicit(3, extensions),
  );
  const signature = sign('sha256', tbs, privateKey); // DER ECDSA-Sig-Value
  const der = sequence(tbs, ECDSA_WITH_SHA256, bitString(signature));
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return {
    der,
    certPem: `-----BEGIN CERTIFICATE-----\n${b64.replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`,
    privateKey,
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
