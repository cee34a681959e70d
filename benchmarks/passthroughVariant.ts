import path from 'node:path';
import { Child } from './child';
import type { PassthroughReady } from './passthrough';
import { pinned, SUBJECT_CORE } from './pinning';
import { cleanEnv, type SinkEndpoint, type Subject, type Variant } from './subject';

const SCRIPT = path.join(__dirname, 'passthrough.js');

/** How one passthrough variant differs from the plain one. */
export interface PassthroughVariantOptions {
  /** Label in the report. Default `passthrough`. */
  name?: string;
  /** Flags for node itself, e.g. `--cpu-prof`. */
  nodeArgs?: readonly string[];
  /** HTTP/2 receive window of its server, bytes; undefined keeps grpc-js's 64 KiB. */
  serverWindowBytes?: number;
  /** `grpc-node.flow_control_window` of its client channel, bytes. */
  clientWindowBytes?: number;
  /** HTTP/2 receive window of the sink it is measured with, bytes. Default grpc-js's 64 KiB. */
  sinkWindowBytes?: number;
}

/** The baseline: benchmarks/passthrough.ts in its own process, pinned to the subject core. */
export function passthroughVariantWith(options: PassthroughVariantOptions = {}): Variant {
  const name = options.name ?? 'passthrough';
  return {
    name,
    sinkWindowBytes: options.sinkWindowBytes,
    async start(sink: SinkEndpoint, logFile: string): Promise<Subject> {
      const args = [
        SCRIPT,
        '--target',
        `127.0.0.1:${sink.port}`,
        ...(options.serverWindowBytes ? ['--server-window', String(options.serverWindowBytes)] : []),
        ...(options.clientWindowBytes ? ['--client-window', String(options.clientWindowBytes)] : []),
      ];
      const child = new Child({
        name,
        argv: pinned(SUBJECT_CORE, [process.execPath, ...(options.nodeArgs ?? []), ...args]),
        env: cleanEnv(),
        logFile,
        ipc: true,
      });
      const ready = await child.next<PassthroughReady>('ready', 15_000);
      return { pid: child.pid, address: `127.0.0.1:${ready.port}`, child };
    },
  };
}

/** The plain baseline: grpc-js defaults. */
export const passthroughVariant: Variant = passthroughVariantWith();
