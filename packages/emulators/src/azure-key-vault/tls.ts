/**
 * The emulator's own TLS material: a throw-away CA and a server certificate for `127.0.0.1` and
 * `localhost`, made fresh at every start. The Azure SDK refuses plain HTTP unless told otherwise,
 * and the only sound way to let a client trust a local server is a per-client CA (never
 * `NODE_TLS_REJECT_UNAUTHORIZED=0`), so the CA PEM is what the emulator hands out.
 *
 * Built with node:crypto and a few DER encoders rather than `@peculiar/x509`: that library
 * needs a global `Reflect.getMetadata` polyfill (tsyringe) at import time, which the package
 * does not ship and which an emulator running inside a test process must not install globally.
 *
 * @module
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import {
  bitString,
  bool,
  explicit,
  objectIdentifier,
  octetString,
  sequence,
  set,
  time,
  tlv,
  unsignedInteger,
  utf8String,
} from './der';

export interface TlsMaterial {
  /** PEM of the self-signed CA that issued the server certificate; clients trust only this. */
  readonly caPem: string;
  /** PEM of the server certificate (SAN `IP:127.0.0.1`, `DNS:localhost`). */
  readonly certPem: string;
  /** PKCS#8 PEM of the server certificate's private key. */
  readonly keyPem: string;
}

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;

const DAY_MS = 24 * 3600 * 1000;

interface Party {
  readonly name: Buffer;
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
  readonly keyId: Buffer;
}

const distinguishedName = (cn: string): Buffer =>
  sequence(set(sequence(objectIdentifier(OID.commonName), utf8String(cn))));

const extension = (oid: string, critical: boolean, value: Buffer): Buffer =>
  critical
    ? sequence(objectIdentifier(oid), bool(true), octetString(value))
    : sequence(objectIdentifier(oid), octetString(value));

function party(cn: string): Party {
  // ECDSA P-256: generated in milliseconds (an RSA CA would slow down every emulator start).
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  // RFC 5280 §4.2.1.2 method 1 would hash only the key bits; any stable unique id will do here.
  const keyId = createHash('sha1').update(spki).digest();
  return { name: distinguishedName(cn), publicKey, privateKey, keyId };
}

function certificate(
  subject: Party,
  issuer: Party,
  extensions: Buffer[],
  notAfterDays: number,
): string {
  const now = Date.now();
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const algorithm = sequence(objectIdentifier(OID.ecdsaWithSha256));
  const tbs = sequence(
    explicit(0, unsignedInteger(Buffer.from([2]))), // v3
    unsignedInteger(serial),
    algorithm,
    issuer.name,
    // Back-dated a day so a client with a slightly slow clock still accepts it.
    sequence(time(new Date(now - DAY_MS)), time(new Date(now + notAfterDays * DAY_MS))),
    subject.name,
    subject.publicKey.export({ format: 'der', type: 'spki' }),
    explicit(3, sequence(...extensions)),
  );
  const signature = sign('sha256', tbs, issuer.privateKey); // DER ECDSA-Sig-Value
  const der = sequence(tbs, algorithm, bitString(signature));
  const body = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${body.trimEnd()}\n-----END CERTIFICATE-----\n`;
}

/** Creates a CA (10 years) and a server certificate for 127.0.0.1 + localhost (1 year). */
export function createTlsMaterial(): TlsMaterial {
  const ca = party('Keyplane local Azure Key Vault emulator CA');
  const caPem = certificate(
    ca,
    ca,
    [
      extension(
        OID.basicConstraints,
        true,
        sequence(bool(true), unsignedInteger(Buffer.from([0]))),
      ),
      // keyCertSign | cRLSign = 0b0000_0110, one unused trailing bit.
      extension(OID.keyUsage, true, bitString(Buffer.from([0x06]), 1)),
      extension(OID.subjectKeyIdentifier, false, octetString(ca.keyId)),
    ],
    3650,
  );

  const server = party('127.0.0.1');
  const certPem = certificate(
    server,
    ca,
    [
      extension(OID.basicConstraints, true, sequence()),
      // digitalSignature = 0b1000_0000, seven unused trailing bits.
      extension(OID.keyUsage, true, bitString(Buffer.from([0x80]), 7)),
      extension(OID.extKeyUsage, false, sequence(objectIdentifier(OID.serverAuth))),
      // Clients connect by IP (the kid URLs carry 127.0.0.1) or by name; both must verify.
      // GeneralName iPAddress is [7] IMPLICIT OCTET STRING, dNSName [2] IMPLICIT IA5String.
      extension(
        OID.subjectAltName,
        false,
        sequence(tlv(0x87, Buffer.from([127, 0, 0, 1])), tlv(0x82, Buffer.from('localhost'))),
      ),
      extension(OID.subjectKeyIdentifier, false, octetString(server.keyId)),
      extension(OID.authorityKeyIdentifier, false, sequence(tlv(0x80, ca.keyId))),
    ],
    365,
  );

  const keyPem = server.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  return { caPem, certPem, keyPem };
}
