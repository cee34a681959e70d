import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_ERRORS, AdminError, toAdminError } from '../../src/admin/errors';
import { DeactivationError } from '../../src/deactivation/types';

describe('admin error catalogue', () => {
  it('maps every use case error code to its HTTP status in one table', () => {
    const statuses = Object.fromEntries(
      (['invalid_user_id', 'user_not_found', 'run_in_progress', 'no_snapshot', 'user_deleted', 'genesys_unavailable', 'journal_error'] as const).map((c) => [
        c,
        toAdminError(new DeactivationError(c, 'm')).status,
      ]),
    );
    assert.deepEqual(statuses, {
      invalid_user_id: 400,
      user_not_found: 404,
      run_in_progress: 409,
      no_snapshot: 409,
      user_deleted: 409,
      genesys_unavailable: 503,
      journal_error: 500,
    });
  });

  it('keeps the use case message and code', () => {
    assert.deepEqual(toAdminError(new DeactivationError('user_not_found', 'no user x')).body(), { code: 'user_not_found', message: 'no user x' });
  });

  it('turns anything else into internal_error without its message', () => {
    assert.deepEqual(toAdminError(new Error('db password is hunter2')).body(), { code: 'internal_error', message: 'internal error' });
  });

  it('gives every entry a status and a message', () => {
    for (const [code, e] of Object.entries(ADMIN_ERRORS)) {
      assert.ok(e.status >= 400 && e.status < 600, code);
      assert.ok(e.message.length > 0, code);
      assert.equal(new AdminError(code as keyof typeof ADMIN_ERRORS).status, e.status);
    }
  });
});
