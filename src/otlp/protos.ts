import path from 'node:path';
import protobuf from 'protobufjs';

/** Directory of the vendored OTLP .proto files (repo `proto/`), from src or dist. */
export const PROTO_DIR = findProtoDir();

function findProtoDir(): string {
  // Compiled files live in dist/src/otlp, sources in src/otlp.
  const candidates = [path.resolve(__dirname, '../../proto'), path.resolve(__dirname, '../../../proto')];
  const fs = require('node:fs') as typeof import('node:fs');
  for (const c of candidates) if (fs.existsSync(path.join(c, 'opentelemetry'))) return c;
  throw new Error(`OTLP proto directory not found near ${__dirname}`);
}

export const TRACE_SERVICE_PROTO = 'opentelemetry/proto/collector/trace/v1/trace_service.proto';
/** Full gRPC method path of OTLP trace export. */
export const TRACE_EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

let root: protobuf.Root | undefined;

/** The protobufjs Root with every OTLP trace message, loaded once from `proto/`. */
export function otlpRoot(): protobuf.Root {
  if (!root) {
    const r = new protobuf.Root();
    r.resolvePath = (_origin, target) => path.join(PROTO_DIR, target);
    r.loadSync(TRACE_SERVICE_PROTO, { keepCase: false });
    r.resolveAll();
    root = r;
  }
  return root;
}

export function exportRequestType(): protobuf.Type {
  return otlpRoot().lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
}

export function exportResponseType(): protobuf.Type {
  return otlpRoot().lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse');
}
