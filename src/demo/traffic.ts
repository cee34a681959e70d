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

/** Deterministic mix: 70% active, 10% inactive, 8% deleted, 5% unknown, 4% malformed, 3% no id, interleaved. */
function pickAgent(agents: DemoAgents, n: number): string | undefined {
  const slot = (n * 37) % 100; // 37 is coprime with 100: every slot once per 100 traces, well mixed
  const from = (list: readonly string[]) => (list.length > 0 ? list[n % list.length] : undefined);
  if (slot < 70) return from(agents.active);
  if (slot < 80) return from(agents.inactive);
  if (slot < 88) return from(agents.deleted);
  if (slot < 93) return from(agents.unknown);
  if (slot < 97) return `agent-${n % 50}`;
  return undefined;
}

function emitInteraction(tracers: Tracer[], agentId: string | undefined, n: number): void {
  const [desktop, crm, wfm] = tracers;
  const userAttr = agentId === undefined ? {} : { 'external.user.id': agentId };
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
