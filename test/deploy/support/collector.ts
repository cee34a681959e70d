import { readRepoYaml } from './repoFiles';

/** Collector configurations shipped in otel-config/, all held to the same checks. */
export const COLLECTOR_FILES = ['otel-config/collector.yaml', 'otel-config/collector-enricher-loop.yaml'] as const;

export interface Pipeline {
  receivers?: string[];
  processors?: string[];
  exporters?: string[];
}

type Section = Record<string, Record<string, unknown> | null>;

/** The parts of a Collector configuration the tests read. */
export interface CollectorConfig {
  extensions?: Section;
  receivers?: Section;
  processors?: Section;
  exporters?: Section;
  service: { extensions?: string[]; pipelines: Record<string, Pipeline> };
}

export function loadCollector(file: string): CollectorConfig {
  return readRepoYaml<CollectorConfig>(file);
}

/** Component type of an id: `otlp_grpc/enricher` -> `otlp_grpc`. */
export function componentType(id: string): string {
  return id.split('/')[0]!;
}

/** Pipelines carrying traces (`traces` or `traces/<name>`). */
export function tracePipelines(config: CollectorConfig): [string, Pipeline][] {
  return Object.entries(config.service.pipelines).filter(([id]) => componentType(id) === 'traces');
}

/** The settings of an OTLP/gRPC exporter that the tests check. */
export interface OtlpGrpcExporter {
  endpoint?: string;
  tls?: { insecure?: boolean };
  sending_queue?: { enabled?: boolean };
  retry_on_failure?: { enabled?: boolean };
}

/** The OTLP/gRPC exporters (`otlp_grpc`, or `otlp` before Collector 0.144), by id. */
export function otlpGrpcExporters(config: CollectorConfig): [string, OtlpGrpcExporter][] {
  return Object.entries(config.exporters ?? {})
    .filter(([id]) => ['otlp_grpc', 'otlp'].includes(componentType(id)))
    .map(([id, c]) => [id, (c ?? {}) as OtlpGrpcExporter]);
}

/** gRPC/HTTP endpoints of every otlp receiver, by receiver id. */
export function receiverEndpoints(config: CollectorConfig): { id: string; protocol: string; endpoint: string }[] {
  const out: { id: string; protocol: string; endpoint: string }[] = [];
  for (const [id, c] of Object.entries(config.receivers ?? {})) {
    const protocols = ((c ?? {}) as { protocols?: Record<string, { endpoint?: string } | null> }).protocols ?? {};
    for (const [protocol, p] of Object.entries(protocols)) out.push({ id, protocol, endpoint: p?.endpoint ?? '' });
  }
  return out;
}
