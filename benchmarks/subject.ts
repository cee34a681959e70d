import type { Child } from './child';

/** A process under test, listening for OTLP/gRPC and forwarding to the sink. */
export interface Subject {
  /** Pid whose /proc entries are measured (with its descendants: a cluster's workers). */
  readonly pid: number;
  /** host:port the load generator sends to. */
  readonly address: string;
  /** The process to stop after the round; undefined when the subject is the sink itself. */
  readonly child?: Child;
  /** Base URL of its admin HTTP listener (/healthz, /readyz), when it has one. */
  readonly adminUrl?: string;
}

/** The sink a subject forwards to. */
export interface SinkEndpoint {
  readonly port: number;
  readonly pid: number;
}

/** One of the things compared: how to start it in front of a sink. */
export interface Variant {
  readonly name: string;
  /** HTTP/2 receive window of the sink this variant is measured with, bytes; undefined keeps grpc-js's 64 KiB. */
  readonly sinkWindowBytes?: number;
  /** Starts the process under test forwarding to 127.0.0.1:sink.port. */
  start(sink: SinkEndpoint, logFile: string): Promise<Subject>;
}

/** The parent's environment without the service's own variables, so a developer's real Genesys credentials never reach a benchmark. */
export function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(ENRICHER|GENESYS)_/.test(k)));
}
