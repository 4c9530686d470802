/** The KeyStore contract on a real PostgreSQL (initdb + pg_ctl, loopback, random port). */
import { defineStoreContract } from './contract';
import { defineProcessContract } from './processes';
import { postgresFixture, type StoreFixture } from './fixtures';

describe('KeyStore contract: PostgreSQL', () => {
  let fixture: StoreFixture;
  beforeAll(async () => {
    fixture = await postgresFixture();
  });
  afterAll(async () => {
    await fixture.close();
  });
  defineStoreContract(() => fixture);
  defineProcessContract(() => fixture);
});
