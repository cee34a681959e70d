import path from 'node:path';
import { encodeRequest, makeRequest } from '../../test/helpers/otlpFixtures';
import { type RedisServer, startRedisServer } from '../../test/helpers/redisServer';
import { Child } from '../child';
import { enricherVariant, statusOf } from '../enricherVariant';
import { DRIVER_CORE, pinned } from '../pinning';
import { exportRaw } from '../rawTraceService';
import { targetLine } from '../report';
import type { SinkReady } from '../sink';
import { cleanEnv, type Subject } from '../subject';
import { addBenchUsers, chunks, IDS_PER_REQUEST, sendAll, settledCalls } from './coldStart';
import { header, type BenchContext, type SectionOutcome } from './context';
import * as grpc from '@grpc/grpc-js';

const SINK = path.join(__dirname, '..', 'sink.js');

/**
 * Section 8: a fleet on one Redis. (a) N users none of the processes has seen
 * reach 1, 2 and 3 processes at once: Genesys calls with ENRICHER_REDIS_URL
 * (shared) against without (each on its own). (b) The hot path: one request
 * whose users are all cached, sent one at a time, with Redis configured and
 * without: a hit never touches Redis, so the two must match.
 */
export async function fleetSection(ctx: BenchContext): Promise<SectionOutcome> {
  const sim = ctx.simulator;
  if (!sim) {
    console.log('\n== 8. Fleet on one Redis: SKIPPED (the enricher cannot run here)');
    return { ok: true };
  }
  let redis: RedisServer;
  try {
    redis = await startRedisServer();
  } catch (e) {
    console.log(`\n== 8. Fleet on one Redis: SKIPPED (${e instanceof Error ? e.message : String(e)})`);
    return { ok: true };
  }
  const n = ctx.options.quick ? 300 : 1000;
  header(`8. Fleet on one Redis: ${n} unseen users reaching every process at once; hot-path cost with Redis`, [
    'Genesys calls read from the simulator (API and token), once no call came for 500 ms; processes not pinned',
  ]);
  const sink = new Child({ name: 'sink', argv: pinned(DRIVER_CORE, [process.execPath, SINK]), env: cleanEnv(), logFile: path.join(ctx.logDir, 'fleet-sink.log'), ipc: true });
  let ok = true;
  try {
    const { port } = await sink.next<SinkReady>('ready', 15_000);
    const rows: string[] = [];
    for (const processes of [1, 2, 3]) {
      const calls: Record<'own' | 'shared', number | undefined> = { own: undefined, shared: undefined };
      for (const mode of ['own', 'shared'] as const) {
        await redis.command('FLUSHALL');
        const ids = addBenchUsers(sim, n, 0xf1ee7 + processes * 10 + (mode === 'shared' ? 1 : 0));
        const requests = chunks(ids, IDS_PER_REQUEST).map((userIds, i) =>
          encodeRequest(makeRequest({ spans: 512, withUserIdRatio: 0.5, userIds, resources: 4, scopesPerResource: 2, attributesPerSpan: 8, seed: 0xf1ee + i })),
        );
        // Warm-up off: the section measures what unseen users cost at cold start (warm-up would load them first).
        const env: Record<string, string> = mode === 'shared' ? { ENRICHER_REDIS_URL: redis.url, ENRICHER_WARMUP: 'off' } : { ENRICHER_WARMUP: 'off' };
        const subjects = await startMany(ctx, sim, processes, port, `${mode}-${processes}`, env);
        if (!subjects) {
          ok = false;
          continue;
        }
        try {
          sim.resetStats();
          await Promise.all(subjects.map((s) => sendAll(s.address, requests)));
          calls[mode] = (await settledCalls(sim)).total;
        } finally {
          for (const s of subjects) await s.child?.stop();
        }
      }
      rows.push(`  ${processes} process${processes > 1 ? 'es' : '  '}: ${calls.own ?? 'failed'} Genesys calls each on its own, ${calls.shared ?? 'failed'} sharing Redis`);
      if (processes > 1 && calls.shared !== undefined && calls.own !== undefined) {
        rows.push(targetLine(`    ${processes} processes sharing Redis cost about what one costs`, String(calls.shared), `< ${calls.own} (not sharing)`, calls.shared < calls.own));
      }
    }
    for (const r of rows) console.log(r);

    const hot = await hotPath(ctx, sim, port, redis.url);
    if (hot === undefined) ok = false;
    else {
      console.log(`  hot path (every user cached), median of ${hot.samples} requests each, sent alternately to both: ${hot.without.toFixed(2)} ms without Redis, ${hot.with.toFixed(2)} ms with`);
      console.log(targetLine('    with Redis / without, on hits', (hot.with / hot.without).toFixed(2), '<= 1.10 (no Redis call on a hit)', hot.with / hot.without <= 1.1));
    }
  } catch (e) {
    console.log(`  FAILED: ${e instanceof Error ? e.message : String(e)}`);
    ok = false;
  } finally {
    await sink.stop();
    await redis.stop();
  }
  return { ok };
}

async function startMany(ctx: BenchContext, sim: NonNullable<BenchContext['simulator']>, count: number, sinkPort: number, label: string, env: Record<string, string>): Promise<Subject[] | undefined> {
  const subjects: Subject[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const subject = await enricherVariant(sim, { name: `enricher ${label}-${i}`, env, core: 'all' }).start({ port: sinkPort, pid: 0 }, path.join(ctx.logDir, `fleet-${label}-${i}.log`));
      subjects.push(subject);
      while ((await statusOf(`${subject.adminUrl}/readyz`)) !== 200) await new Promise((r) => setTimeout(r, 50));
    }
    return subjects;
  } catch (e) {
    console.log(`  ${label}: FAILED: ${e instanceof Error ? e.message : String(e)}`);
    for (const s of subjects) await s.child?.stop();
    return undefined;
  }
}

/**
 * Median ms per request of one request whose users are cached, for a process
 * without Redis and one with, sent alternately (one at a time) so both see
 * the same machine: on a shared machine, separate runs differ by more than
 * what is measured.
 */
async function hotPath(ctx: BenchContext, sim: NonNullable<BenchContext['simulator']>, sinkPort: number, redisUrl: string): Promise<{ without: number; with: number; samples: number } | undefined> {
  const local = await startMany(ctx, sim, 1, sinkPort, 'hot-local', {});
  const shared = local && (await startMany(ctx, sim, 1, sinkPort, 'hot-redis', { ENRICHER_REDIS_URL: redisUrl }));
  if (!local || !shared) {
    for (const s of [...(local ?? []), ...(shared ?? [])]) await s.child?.stop();
    return undefined;
  }
  const subjects = [local[0]!, shared[0]!];
  const clients = subjects.map((s) => new grpc.Client(s.address, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': 64 * 1024 * 1024 }));
  try {
    for (const c of clients) await exportRaw(c, ctx.request.bytes, 30_000); // fills the caches
    await settledCalls(sim);
    for (let i = 0; i < 10; i++) for (const c of clients) await exportRaw(c, ctx.request.bytes, 30_000); // JIT warm
    const samples = ctx.options.quick ? 40 : 300;
    const times: number[][] = [[], []];
    for (let i = 0; i < samples; i++) {
      for (const [k, c] of clients.entries()) {
        const t = performance.now();
        await exportRaw(c, ctx.request.bytes, 30_000);
        times[k]!.push(performance.now() - t);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return { without: median(times[0]!), with: median(times[1]!), samples };
  } finally {
    for (const c of clients) c.close();
    for (const s of subjects) await s.child?.stop();
  }
}
