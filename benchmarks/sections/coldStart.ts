import * as grpc from '@grpc/grpc-js';
import path from 'node:path';
import type { RunningSimulator } from '../../src/simulator/types';
import { encodeRequest, makeRequest } from '../../test/helpers/otlpFixtures';
import { addUsers } from '../../test/helpers/simulatorUsers';
import { Child } from '../child';
import { enricherVariant, statusOf } from '../enricherVariant';
import { DRIVER_CORE, pinned } from '../pinning';
import { exportRaw, MAX_MESSAGE_BYTES } from '../rawTraceService';
import { targetLine } from '../report';
import type { SinkReady } from '../sink';
import { cleanEnv, type Subject } from '../subject';
import { header, type BenchContext, type SectionOutcome } from './context';

const SINK = path.join(__dirname, '..', 'sink.js');
/** Ids per request: the bench request's shape carries one on every other span of 512. */
export const IDS_PER_REQUEST = 256;

export interface Calls {
  total: number;
  bulk: number;
  token: number;
  query: number;
}

/**
 * Section 4: N users the enricher has never seen arrive at once. Without
 * warm-up, the Genesys calls they cost (bulk look-ups of up to 100 ids, and
 * the token) against the ceil(N/100) + 5; then the same traffic again
 * must cost nothing (all cached). With ENRICHER_WARMUP=on, the org is loaded
 * before /readyz says ready, and the same traffic after that must cost no
 * call at all (no span waited for Genesys).
 */
export async function coldStartSection(ctx: BenchContext): Promise<SectionOutcome> {
  const sim = ctx.simulator;
  if (!sim) {
    console.log('\n== 4. Cold start: SKIPPED (the enricher cannot run here)');
    return { ok: true };
  }
  const n = ctx.options.quick ? 300 : 1000;
  const ids = addBenchUsers(sim, n);
  const requests = chunks(ids, IDS_PER_REQUEST).map((userIds, i) =>
    encodeRequest(makeRequest({ spans: 512, withUserIdRatio: 0.5, userIds, resources: 4, scopesPerResource: 2, attributesPerSpan: 8, seed: 0xc01d + i })),
  );
  header(`4. Cold start: ${n} distinct users the enricher has not seen, in ${requests.length} requests sent at once`, [
    'Genesys calls read from the simulator\'s request counts (API and token); default look-up budget (200 ms)',
  ]);
  const budget = Math.ceil(n / 100) + 5;
  let ok = true;

  const cold = await withEnricher(ctx, 'cold', { ENRICHER_WARMUP: 'off' }, async (subject) => {
    sim.resetStats();
    await sendAll(subject.address, requests);
    const first = await settledCalls(sim);
    sim.resetStats();
    await sendAll(subject.address, requests);
    const again = await settledCalls(sim);
    return { first, again };
  });
  if (cold) {
    console.log(`  without warm-up: ${cold.first.total} Genesys calls (${cold.first.bulk} bulk look-ups, ${cold.first.token} token); the same traffic again: ${cold.again.total} calls`);
    console.log(targetLine(`Genesys calls for ${n} distinct users`, String(cold.first.total), `<= ceil(${n}/100) + 5 = ${budget}`, cold.first.total <= budget && cold.again.total === 0));
  } else ok = false;

  const warm = await withEnricher(ctx, 'warmup', { ENRICHER_WARMUP: 'on', ENRICHER_WARMUP_TIMEOUT_MS: '120000' }, async (subject, readyMs) => {
    const atStart = snapshot(sim);
    sim.resetStats();
    await sendAll(subject.address, requests);
    return { atStart, during: await settledCalls(sim), readyMs };
  });
  if (warm) {
    console.log(`  with ENRICHER_WARMUP=on: ready ${warm.readyMs} ms after start, having read the whole org (demo org + the ${n} added) in ${warm.atStart.total} calls (${warm.atStart.query} query pages of up to 500, ${warm.atStart.token} token)`);
    console.log(targetLine('Genesys calls for the same traffic after warm-up (spans that waited for Genesys)', String(warm.during.total), '0', warm.during.total === 0));
  } else ok = false;
  return { ok };
}

/** Starts a sink and the enricher (env on top of the bench's), waits for /readyz, runs `fn`, stops both. */
async function withEnricher<T>(ctx: BenchContext, label: string, env: Record<string, string>, fn: (subject: Subject, readyMs: number) => Promise<T>): Promise<T | undefined> {
  const started: Child[] = [];
  try {
    const sink = new Child({ name: 'sink', argv: pinned(DRIVER_CORE, [process.execPath, SINK]), env: cleanEnv(), logFile: path.join(ctx.logDir, `cold-start-${label}-sink.log`), ipc: true });
    started.push(sink);
    const { port } = await sink.next<SinkReady>('ready', 15_000);
    ctx.simulator!.resetStats();
    const t0 = performance.now();
    const subject = await enricherVariant(ctx.simulator!, { name: `enricher (${label})`, env }).start({ port, pid: sink.pid }, path.join(ctx.logDir, `cold-start-${label}-enricher.log`));
    started.push(subject.child!);
    while ((await statusOf(`${subject.adminUrl}/readyz`)) !== 200) await new Promise((r) => setTimeout(r, 50));
    return await fn(subject, Math.round(performance.now() - t0));
  } catch (e) {
    console.log(`  ${label}: FAILED: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  } finally {
    for (const c of started.reverse()) await c.stop();
  }
}

const BENCH_STATES = ['active', 'active', 'active', 'active', 'active', 'active', 'inactive', 'inactive', 'deleted'] as const;

/** Adds `n` users to the simulator's org (mostly active, some inactive and deleted); returns their ids. */
export function addBenchUsers(sim: RunningSimulator, n: number, seed = 0xc01d5 + n): string[] {
  return addUsers(sim, n, { seed, label: 'Bench Agent', stateOf: (i) => BENCH_STATES[i % BENCH_STATES.length]! });
}

export function chunks<T>(list: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));
}

export async function sendAll(address: string, requests: readonly Buffer[]): Promise<void> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': MAX_MESSAGE_BYTES });
  try {
    await Promise.all(requests.map((r) => exportRaw(client, r, 30_000)));
  } finally {
    client.close();
  }
}

function snapshot(sim: RunningSimulator): Calls {
  const s = sim.stats();
  return { total: s.total, bulk: s.byRoute['GET /api/v2/users'] ?? 0, token: s.byRoute['POST /oauth/token'] ?? 0, query: s.byRoute['GET /api/v2/users/query'] ?? 0 };
}

/** The simulator's counts once no request has come in for 500 ms (look-ups go on after a request's budget). */
export async function settledCalls(sim: RunningSimulator): Promise<Calls> {
  let last = -1;
  for (let quiet = 0; quiet < 5; ) {
    await new Promise((r) => setTimeout(r, 100));
    const total = sim.stats().total;
    quiet = total === last ? quiet + 1 : 0;
    last = total;
  }
  return snapshot(sim);
}
