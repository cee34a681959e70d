/**
 * The Node.js flags the service is meant to run with. `npm start`, the
 * Dockerfile's CMD and the benchmark start `serve` with them; `serve` warns
 * when they are missing. A flag given with any value, on the command line or
 * in NODE_OPTIONS, counts as the operator's choice.
 *
 * --max-semi-space-size (MiB per semi-space of V8's young generation; V8's
 * default on 64-bit is 16): every request brings a few hundred KiB of buffers
 * outside the heap (the request, its enriched copy, the export frame). With
 * the default young generation, a process under steady load could fall into a
 * run of mark-compact collections, one every 200 ms with pauses and marking
 * steps of 10 to 28 ms on its 27 MiB heap, which decided the p99 latency and
 * cost a fifth more CPU per span at half load. With 32 MiB: 2 in the same
 * 13 s, every round. docs/performance.md ("Fourth round") has the measurements.
 */
export const SERVICE_NODE_FLAGS: readonly string[] = Object.freeze(['--max-semi-space-size=32']);

/**
 * The flags of SERVICE_NODE_FLAGS not given, in any value, in `execArgv`
 * (process.execArgv) or `nodeOptions` (NODE_OPTIONS). V8 reads `_` and `-`
 * in flag names alike; so does this.
 */
export function missingNodeFlags(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const given = new Set([...execArgv, ...(nodeOptions ?? '').split(/\s+/)].map(flagName));
  return SERVICE_NODE_FLAGS.filter((flag) => !given.has(flagName(flag)));
}

function flagName(arg: string): string {
  return arg.split('=', 1)[0]!.replace(/_/g, '-');
}
