/** The KeyStore contract on SQLite. */
import { defineStoreContract } from './contract';
import { defineProcessContract } from './processes';
import { sqliteFixture, type StoreFixture } from './fixtures';

describe('KeyStore contract: SQLite', () => {
  let fixture: StoreFixture;
  beforeAll(() => {
    fixture = sqliteFixture();
  });
  afterAll(async () => {
    await fixture.close();
  });
  defineStoreContract(() => fixture);
  defineProcessContract(() => fixture);
});
