import { setTimeout as delay } from 'node:timers/promises';

/**
 * Settles like `work`, or rejects with `signal.reason` as soon as `signal`
 * aborts. The SDK cannot cancel a request, so an abandoned one runs on; its
 * outcome is swallowed so it cannot surface as an unhandled rejection.
 */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(ignore);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      work.catch(ignore);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/** Waits `ms` milliseconds; rejects with `signal.reason` if it aborts first. */
export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch {
    throw signal.reason;
  }
}

/**
 * An AbortSignal that fires when any parent fires or `timeoutMs` pass. Call
 * `dispose()` when done so the timer does not outlive the work.
 */
export function scopedSignal(timeoutMs: number, parents: readonly (AbortSignal | undefined)[]): {
  signal: AbortSignal;
  dispose: () => void;
} {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error('deadline')), timeoutMs);
  const signals = [deadline.signal, ...parents.filter((s): s is AbortSignal => s !== undefined)];
  return { signal: AbortSignal.any(signals), dispose: () => clearTimeout(timer) };
}

function ignore(): void {}
