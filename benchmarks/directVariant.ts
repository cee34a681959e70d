import type { Variant } from './subject';

/**
 * No hop at all: the load generator talks to the sink itself. The latency
 * floor of the machine (client, sink, loopback, timers); what the other
 * variants add to it is their own.
 */
export const directVariant: Variant = {
  name: 'direct',
  async start(sink) {
    return { pid: sink.pid, address: `127.0.0.1:${sink.port}` };
  },
};
