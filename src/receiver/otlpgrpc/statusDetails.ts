import protobuf from 'protobufjs';

/**
 * The `grpc-status-details-bin` trailer: a `google.rpc.Status` whose details may
 * hold a `google.rpc.RetryInfo`, which is how an OTLP server tells a client how
 * long to back off (OTLP spec, "OTLP/gRPC Throttling"). Only the four messages
 * involved are described, by hand, to avoid vendoring googleapis.
 */
export const STATUS_DETAILS_KEY = 'grpc-status-details-bin';

const RETRY_INFO_TYPE_URL = 'type.googleapis.com/google.rpc.RetryInfo';

// Immutable type descriptions, built once; nothing here holds per-call state.
const root = protobuf.Root.fromJSON({
  nested: {
    google: {
      nested: {
        protobuf: {
          nested: {
            Any: { fields: { typeUrl: { type: 'string', id: 1 }, value: { type: 'bytes', id: 2 } } },
            Duration: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } },
          },
        },
        rpc: {
          nested: {
            Status: {
              fields: {
                code: { type: 'int32', id: 1 },
                message: { type: 'string', id: 2 },
                details: { rule: 'repeated', type: 'google.protobuf.Any', id: 3 },
              },
            },
            RetryInfo: { fields: { retryDelay: { type: 'google.protobuf.Duration', id: 1 } } },
          },
        },
      },
    },
  },
});
const StatusType = root.lookupType('google.rpc.Status');
const RetryInfoType = root.lookupType('google.rpc.RetryInfo');

/** Encodes a `google.rpc.Status` carrying a RetryInfo of `retryAfterMs` (rounded to whole ms). */
export function encodeRetryStatus(code: number, message: string, retryAfterMs: number): Buffer {
  const ms = Math.max(0, Math.round(retryAfterMs));
  const retryInfo = RetryInfoType.encode({
    retryDelay: { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 },
  }).finish();
  const status = StatusType.encode({ code, message, details: [{ typeUrl: RETRY_INFO_TYPE_URL, value: retryInfo }] });
  return Buffer.from(status.finish());
}

interface DecodedStatus {
  details: Array<{ typeUrl: string; value: Uint8Array }>;
}
interface DecodedRetryInfo {
  retryDelay?: { seconds: number | { toString(): string }; nanos: number } | null;
}

/** The RetryInfo delay in ms from a `grpc-status-details-bin` value, or undefined if absent or unreadable. */
export function decodeRetryDelayMs(statusDetails: Buffer): number | undefined {
  try {
    const status = StatusType.decode(statusDetails) as unknown as DecodedStatus;
    const any = status.details.find((d) => d.typeUrl === RETRY_INFO_TYPE_URL);
    if (!any) return undefined;
    const delay = (RetryInfoType.decode(any.value) as unknown as DecodedRetryInfo).retryDelay;
    if (!delay) return 0;
    return Number(delay.seconds.toString()) * 1000 + Math.floor(delay.nanos / 1_000_000);
  } catch {
    return undefined; // details from a foreign server are advisory; never fail a call over them
  }
}
