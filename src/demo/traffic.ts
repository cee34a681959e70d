import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

/** Ids to draw agents from; the categories mirror the simulator's demo org. */
export interface DemoAgents {
  active: readonly string[];
  inactive: readonly string[];
  deleted: readonly string[];
  unknown: readonly string[];
}

export interface DemoTrafficOptions {
  /** OTLP/gRPC target, e.g. http://127.0.0.1:4317. */
  url: string;
  agents: DemoAgents;
  /** Traces per second. Default 5. */
  tracesPerSecond?: number;
  /** Stop after this many traces; default: run until stopped. */
  maxTraces?: number;
}

/** A running traffic generator. */
export interface DemoTraffic {
  /** Traces started so far. */
  readonly sent: () => number;
  /** Resolves when maxTraces were sent (never, without it). */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

const SERVICES = ['agent-desktop', 'crm-connector', 'wfm-integration'] as const;

/**
 * Generates contact-center-like traces with the real OpenTelemetry SDK:
 * an agent accepts an interaction, the desktop looks the customer up in the
 * CRM and wraps up. Most agents exist; a few are inactive, deleted, unknown,
 * or carry an id that is not a Genesys id, so every enrichment outcome shows.
 */
export function startDemoTraffic(options: DemoTrafficOptions): DemoTraffic {
  const providers = SERVICES.map((service) => {
    const exporter = new OTLPTraceExporter({ url: options.url });
    return new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': service, 'deployment.environment': 'demo' }),
      spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 500 })],
    });
  });
  const tracers = providers.map((p, i) => p.getTracer(`${SERVICES[i]}-instrumentation`, '1.0.0'));
  const rate = options.tracesPerSecond ?? 5;
  let sent = 0;
  let seq = 0;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));

  const timer = setInterval(() => {
    if (options.maxTraces !== undefined && sent >= options.maxTraces) {
      clearInterval(timer);
      finish();
      return;
    }
    emitInteraction(tracers, pickAgent(options.agents, seq++), seq);
    sent++;
  }, Math.max(1, Math.round(1000 / rate)));

  return {
    sent: () => sent,
    done,
    async stop() {
      clearInterval(timer);
      await Promise.all(providers.map((p) => p.forceFlush().then(() => p.shutdown())));
      finish();
    },
  };
}

/** What kind of id a demo span carries, on purpose; every span says so in `demo.agent_kind`. */
export type DemoAgentKind = 'active' | 'inactive' | 'deleted' | 'unknown' | 'malformed' | 'none';

/** Deterministic mix: 70% active, 10% inactive, 8% deleted, 5% unknown, 4% malformed, 3% no id, interleaved. */
function pickAgent(agents: DemoAgents, n: number): { id: string | undefined; kind: DemoAgentKind } {
  const slot = (n * 37) % 100; // 37 is coprime with 100: every slot once per 100 traces, well mixed
  const from = (kind: 'active' | 'inactive' | 'deleted' | 'unknown') => ({ id: agents[kind].length > 0 ? agents[kind][n % agents[kind].length] : undefined, kind });
  if (slot < 70) return from('active');
  if (slot < 80) return from('inactive');
  if (slot < 88) return from('deleted');
  if (slot < 93) return from('unknown');
  if (slot < 97) return { id: `agent-${n % 50}`, kind: 'malformed' };
  return { id: undefined, kind: 'none' };
}

/**
 * What the generator sends and what the enricher will make of it, for the
 * command's banner: the deliberate `not_found` spans must not read as failures.
 */
export function describeDemoTraffic(url: string, tracesPerSecond: number): string {
  return [
    `demo traffic: ${tracesPerSecond} traces/s to ${url} (OTLP/gRPC), 3 spans each from ${SERVICES.join(', ')}`,
    '  external.user.id holds, on purpose (each span says which in demo.agent_kind):',
    '    70% active, 10% inactive, 8% deleted agents of the simulator\'s demo org  -> enriched; genesys.user.state says which',
    '     5% unknown Genesys ids, 4% malformed ids such as "agent-8"           -> genesys.user.lookup=not_found, as intended',
    '     3% no id                                                          -> passed through unchanged',
    '  Against a real org (GENESYS_CLIENT_ID set) the demo ids are not_found too.',
  ].join('\n');
}

function emitInteraction(tracers: Tracer[], agent: { id: string | undefined; kind: DemoAgentKind }, n: number): void {
  const [desktop, crm, wfm] = tracers;
  const agentId = agent.id;
  const userAttr = { 'demo.agent_kind': agent.kind, ...(agentId === undefined ? {} : { 'external.user.id': agentId }) };
  const conversationId = `conv-${(100000 + n).toString(36)}`;
  const root = desktop.startSpan('interaction.accept', {
    kind: SpanKind.SERVER,
    attributes: { ...userAttr, 'genesys.conversation.id': conversationId, 'media.type': n % 3 === 0 ? 'voice' : 'chat' },
  });
  // No global context manager: children name their parent explicitly.
  const ctx = trace.setSpan(ROOT_CONTEXT, root);
  const lookup = crm.startSpan('crm.customer_lookup', { kind: SpanKind.CLIENT, attributes: { ...userAttr, 'crm.system': 'salesforce', 'customer.tier': n % 4 } }, ctx);
  lookup.addEvent('cache.miss', { 'cache.key': `customer:${n % 97}` });
  if (n % 11 === 0) lookup.setStatus({ code: SpanStatusCode.ERROR, message: 'CRM timeout' });
  lookup.end();
  const schedule = wfm.startSpan('wfm.adherence_check', { kind: SpanKind.INTERNAL, attributes: { ...userAttr, 'wfm.in_adherence': n % 5 !== 0 } }, ctx);
  schedule.end();
  root.setAttribute('interaction.duration_ms', 1000 + (n % 7) * 350);
  root.end();
}
