import { GenesysError } from '../directory/genesys/errors';
import { DeactivationError } from './types';

/**
 * A read that a run cannot do without, failed: `genesys_unavailable`, with
 * the Genesys error's own retry decision (a 503 or a spent budget is worth
 * retrying later; a 403 is not). Anything but a GenesysError is rethrown as
 * it is: it is a bug or a crash, not Genesys.
 */
export function unavailable(err: unknown, doing: string): DeactivationError {
  if (!(err instanceof GenesysError)) throw err;
  return new DeactivationError('genesys_unavailable', `Genesys failed while ${doing}: ${err.message}`, err.retryable);
}
