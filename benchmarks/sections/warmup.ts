import path from 'node:path';
import { GrpcSink } from '../../test/helpers/grpcSink';
import { addUsers } from '../../test/helpers/simulatorUsers';
import { enricherVariant, statusOf } from '../enricherVariant';
import { format } from '../report';
import { header, type BenchContext, type SectionOutcome } from './context';

const LATENCY_MS = 300;
/** The default budget (ENRICHER_GENESYS_MAX_RPM) and refresh period (ENRICHER_WARMUP_REFRESH_SECONDS). */
const BUDGET_PER_MINUTE = 240;
const REFRESH_MINUTES = 5;

/**
 * Section 7: what ENRICHER_WARMUP=on costs at start for an org of 10,000 users
 * when Genesys answers every call after 300 ms: time until /readyz, Genesys
 * calls, and their share of the process's Genesys budget.
 */
export async function warmupSection(ctx: BenchContext): Promise<SectionOutcome> {
  const sim = ctx.simulator;
  if (!sim) {
    console.log('\n== 7. Warm-up cost: SKIPPED (the enricher cannot run here)');
    return { ok: true };
  }
  const orgSize = ctx.options.quick ? 2_000 : 10_000;
  header(`7. Warm-up cost: ENRICHER_WARMUP=on with an org of ${orgSize} users (plus the demo org and earlier sections' users), Genesys at ${LATENCY_MS} ms per call`, [
    'calls and time from start until /readyz says ready (the first load done); pages of 500 users (GET /api/v2/users/query)',
  ]);
  addUsers(sim, orgSize, { seed: 0x3a7d + orgSize, label: 'Org Agent', stateOf: (i) => (i % 10 === 9 ? 'inactive' : 'active') });
  const sink = await GrpcSink.start();
  try {
    sim.resetStats();
    sim.faults.latencyMs = LATENCY_MS;
    const t0 = performance.now();
    const subject = await enricherVariant(sim, { name: 'enricher (warm-up)', env: { ENRICHER_WARMUP: 'on', ENRICHER_WARMUP_TIMEOUT_MS: '600000' } }).start(
      { port: sink.port, pid: process.pid },
      path.join(ctx.logDir, 'warmup-enricher.log'),
    );
    try {
      while ((await statusOf(`${subject.adminUrl}/readyz`)) !== 200) await new Promise((r) => setTimeout(r, 50));
      const readyMs = performance.now() - t0;
      const stats = sim.stats();
      const pages = stats.byRoute['GET /api/v2/users/query'] ?? 0;
      const users = sim.org.active.length + sim.org.inactive.length + sim.org.deleted.length;
      console.log(`  ready after ${format(readyMs / 1000, 1)} s; ${stats.total} Genesys calls (${pages} pages, ${stats.byRoute['POST /oauth/token'] ?? 0} token) for the org: ${orgSize} users added here, the demo org's ${users} and those earlier sections added`);
      console.log(`  share of the default budget (${BUDGET_PER_MINUTE}/min): ${format((100 * stats.total) / BUDGET_PER_MINUTE, 1)} % of one minute at start; ${format((100 * pages) / (BUDGET_PER_MINUTE * REFRESH_MINUTES), 2)} % of the budget between refreshes (every ${REFRESH_MINUTES} min)`);
      return { ok: pages > 0 };
    } finally {
      await subject.child?.stop();
    }
  } catch (e) {
    console.log(`  FAILED: ${e instanceof Error ? e.message : String(e)}`);
    return { ok: false };
  } finally {
    sim.faults.latencyMs = 0;
    await sink.close();
  }
}
