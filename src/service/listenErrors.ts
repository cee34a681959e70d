import { ConfigError } from '../config/errors';

/** Why an address cannot be listened on, by errno code, for a person who can change the setting. */
const WHY: Readonly<Record<string, string>> = {
  EADDRINUSE: 'is already in use by another process: stop it or choose a free port',
  EACCES: 'needs privileges this process does not have (ports below 1024): choose a port above 1023',
  EADDRNOTAVAIL: 'is not an address of this machine: use one of its addresses, 127.0.0.1, or 0.0.0.0 for all',
};

/**
 * Starts a listener; when the address cannot be bound, throws a ConfigError
 * naming the setting and its YAML key (the service then exits 2), instead of
 * a bare `listen EADDRINUSE 0.0.0.0:4317` that leaves the user guessing which
 * of the three listeners it was.
 */
export async function listenAs(setting: string, address: string, start: () => Promise<void>): Promise<void> {
  try {
    await start();
  } catch (err) {
    const code = errnoOf(err);
    const why = code ? WHY[code] : undefined;
    if (!why) throw err;
    throw new ConfigError([{ key: setting, message: `${address} ${why} (${code})` }]);
  }
}

/** The errno code of a listen error: Node's `code`, or grpc-js's bind message, which carries it in text only. */
function errnoOf(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && code in WHY) return code;
  const text = err instanceof Error ? err.message : String(err);
  return Object.keys(WHY).find((c) => text.includes(c));
}
