/**
 * The SoftHSM2 helper, checked with OpenSC's pkcs11-tool (an independent PKCS#11 client): the
 * token is where the helper says, the PIN logs in, and a second token is found by its own label.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSoftHsmToken, parseShowSlots } from '../src/softhsm/softhsm-token';
import { runPkcs11Tool } from './support/pkcs11-tool';

describe('createSoftHsmToken', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'keyplane-softhsm-test-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('initialises a token in a private config and reports the random slot it landed on', async () => {
    const token = await createSoftHsmToken({ dir, label: 'kp-test', pin: '4321' });
    expect(token.conf).toBe(join(dir, 'softhsm2.conf'));
    expect(token.env).toEqual({ SOFTHSM2_CONF: token.conf });
    const slots = runPkcs11Tool(token, ['--list-slots']);
    expect(slots.status).toBe(0);
    const hex = `0x${Number(token.slot).toString(16)}`;
    expect(slots.stdout.toString('utf8')).toMatch(
      new RegExp(`\\(${hex}\\)[^\\n]*\\n\\s+token label\\s+: kp-test`),
    );
    expect(token.slot).not.toBe('0');
  });

  it('the PIN logs in through pkcs11-tool; a wrong PIN is refused', async () => {
    const token = await createSoftHsmToken({ dir, label: 'kp-login', pin: '4321' });
    const ok = runPkcs11Tool(token, [
      '--slot',
      token.slot,
      '--login',
      '--pin',
      '4321',
      '--list-objects',
    ]);
    expect(ok.status).toBe(0);
    const bad = runPkcs11Tool(token, [
      '--slot',
      token.slot,
      '--login',
      '--pin',
      '9999',
      '--list-objects',
    ]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr.toString('utf8')).toMatch(/CKR_PIN_INCORRECT/);
  });

  it('finds each of two tokens by label and reuses an existing one instead of re-initialising', async () => {
    const a = await createSoftHsmToken({ dir, label: 'kp-a' });
    const b = await createSoftHsmToken({ dir, label: 'kp-b' });
    expect(a.slot).not.toBe(b.slot);
    const again = await createSoftHsmToken({ dir, label: 'kp-a' });
    expect(again.slot).toBe(a.slot);
    const listed = execFileSync('softhsm2-util', ['--show-slots'], {
      env: { ...process.env, SOFTHSM2_CONF: a.conf },
      encoding: 'utf8',
    });
    expect([...parseShowSlots(listed).values()].filter((l) => l.startsWith('kp-')).sort()).toEqual([
      'kp-a',
      'kp-b',
    ]);
  });

  it('refuses bad labels and PINs before touching SoftHSM', async () => {
    await expect(createSoftHsmToken({ dir, label: 'x'.repeat(33) })).rejects.toThrow(
      /must be 1–32 characters/,
    );
    await expect(createSoftHsmToken({ dir, pin: '12' })).rejects.toThrow(
      /pin must be 4–255 characters/,
    );
  });

  it('a temp-dir token is removed by dispose', async () => {
    const token = await createSoftHsmToken({ label: 'kp-temp' });
    await token.dispose();
    expect(spawnSync('test', ['-e', token.dir]).status).toBe(1);
  });
});
