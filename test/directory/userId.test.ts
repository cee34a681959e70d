import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeUserId } from '../../src/directory/userId';

const ID = '0b2c5e4a-1f3d-4c6b-9a8e-7d6f5e4c3b2a';

describe('normalizeUserId', () => {
  it('accepts a lowercase Genesys user id unchanged', () => {
    assert.equal(normalizeUserId(ID), ID);
  });

  it('accepts upper and mixed case and returns lowercase', () => {
    assert.equal(normalizeUserId(ID.toUpperCase()), ID);
    assert.equal(normalizeUserId('0B2c5E4a-1F3d-4C6b-9A8e-7D6f5E4c3B2a'), ID);
  });

  for (const [why, raw] of [
    ['empty', ''],
    ['surrounding whitespace', ` ${ID}`],
    ['trailing newline', `${ID}\n`],
    ['braces', `{${ID}}`],
    ['no dashes', ID.replace(/-/g, '')],
    ['dashes misplaced', '0b2c5e4a1-f3d-4c6b-9a8e-7d6f5e4c3b2a'],
    ['non-hex digit', ID.replace('a', 'g')],
    ['one digit short', ID.slice(1)],
    ['longer than 36', `${ID}0`],
    ['very long', ID.repeat(1000)],
    ['a name', 'bob@example.com'],
  ] as const) {
    it(`rejects ${why}`, () => {
      assert.equal(normalizeUserId(raw), undefined);
    });
  }

  it('rejects non-strings that slip past the type system', () => {
    assert.equal(normalizeUserId(42 as unknown as string), undefined);
    assert.equal(normalizeUserId(undefined as unknown as string), undefined);
  });
});
