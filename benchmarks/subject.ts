import type { Child } from './child';

/** A process under test, listening for OTLP/gRPC and forwarding to the sink. */
export interface Subject {
  /** Pid whose /proc entries are measured. */
  readonly pid: number;
  /** host:port the load generator sends to. */
  readonly address: string;
  readonly child: Child;
}

/** One of the things compared: how to start it in front of a sink. */
export interface Variant {
  readonly name: string;
  /** Starts the process under test (pinned to its own core) forwarding to 127.0.0.1:sinkPort. */
  start(sinkPort: number, logFile: string): Promise<Subject>;
}

/** The parent's environment without the service's own variables, so a developer's real Genesys credentials never reach a benchmark. */
export function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(ENRICHER|GENESYS)_/.test(k)));
}
