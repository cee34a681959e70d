import type { CallOptions } from '../../../src/directory/genesys/genesysClient';
import type { GenesysApis } from '../../../src/directory/genesys/sdk';
import type { GenesysCaller } from '../../../src/directory/lookup/userLookup';

/** What a "crash" throws: not a GenesysError, so the run stops dead, as if the process had died. */
export class SimulatedCrash extends Error {
  constructor(where: string) {
    super(`simulated crash ${where}`);
    this.name = 'SimulatedCrash';
  }
}

/** Where to crash: the `nth` call (1-based) of `operation`, just before it is sent or just after it took effect. */
export interface CrashPoint {
  readonly operation: string;
  readonly nth: number;
  readonly when: 'before' | 'after';
}

/** A client that behaves like `inner` until the crash point, then throws SimulatedCrash (and every call after). */
export function crashingClient(inner: GenesysCaller, point: CrashPoint): GenesysCaller & { crashed: boolean } {
  let seen = 0;
  const wrapper = {
    crashed: false,
    async call<T>(operation: string, fn: (apis: GenesysApis) => Promise<T>, options?: CallOptions): Promise<T> {
      if (wrapper.crashed) throw new SimulatedCrash('(dead process)');
      const hit = operation === point.operation && ++seen === point.nth;
      if (hit && point.when === 'before') {
        wrapper.crashed = true;
        throw new SimulatedCrash(`before ${operation} #${point.nth}`);
      }
      const result = await inner.call(operation, fn, options);
      if (hit) {
        wrapper.crashed = true;
        throw new SimulatedCrash(`after ${operation} #${point.nth}`);
      }
      return result;
    },
  };
  return wrapper;
}

/** A client that runs `hook` once, just before the first call whose operation does not start with `get`. */
export function onFirstChange(inner: GenesysCaller, hook: () => void): GenesysCaller {
  let fired = false;
  return {
    call(operation, fn, options) {
      if (!fired && !operation.startsWith('get')) {
        fired = true;
        hook();
      }
      return inner.call(operation, fn, options);
    },
  };
}

/**
 * A client whose first changing call waits until `release()`: a run stopped
 * mid-way, holding the user's lock. `reached` resolves when it waits.
 */
export function gatedClient(inner: GenesysCaller): GenesysCaller & { reached: Promise<void>; release: () => void } {
  let release!: () => void;
  let reached!: () => void;
  const opened = new Promise<void>((resolve) => (release = resolve));
  const arrived = new Promise<void>((resolve) => (reached = resolve));
  let gated = false;
  return {
    reached: arrived,
    release,
    async call(operation, fn, options) {
      if (!gated && !operation.startsWith('get')) {
        gated = true;
        reached();
        await opened;
      }
      return inner.call(operation, fn, options);
    },
  };
}
