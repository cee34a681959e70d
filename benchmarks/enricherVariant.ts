import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { RunningSimulator } from '../src/simulator/types';
import { Child } from './child';
import { freePort } from './freePort';
import { pinned, SUBJECT_CORE } from './pinning';
import { cleanEnv, type Subject, type Variant } from './subject';

/** The service's CLI as the build leaves it (dist/src/cli/main.js). */
export const ENRICHER_MAIN = path.resolve(__dirname, '../src/cli/main.js');

/** Why the enricher cannot run here, or undefined when it can. */
export function enricherUnavailable(): string | undefined {
  return fs.existsSync(ENRICHER_MAIN) ? undefined : `${path.relative(process.cwd(), ENRICHER_MAIN)} is missing (not built yet?)`;
}

/**
 * The service itself, `node dist/src/cli/main.js serve`, configured only
 * through its documented environment: OTLP in on a free port, out to the
 * sink, Genesys through the simulator's URL and credentials.
 */
export function enricherVariant(simulator: RunningSimulator): Variant {
  return {
    name: 'enricher',
    async start(sinkPort: number, logFile: string): Promise<Subject> {
      const [grpcPort, adminPort] = [await freePort(), await freePort()];
      const env = {
        ...cleanEnv(),
        ENRICHER_OTLP_GRPC_ADDRESS: `127.0.0.1:${grpcPort}`,
        ENRICHER_EXPORT_OTLP_ENDPOINT: `http://127.0.0.1:${sinkPort}`,
        ENRICHER_ADMIN_ADDRESS: `127.0.0.1:${adminPort}`,
        GENESYS_API_URL: simulator.url,
        GENESYS_CLIENT_ID: simulator.clientId,
        GENESYS_CLIENT_SECRET: simulator.clientSecret,
      };
      const child = new Child({ name: 'enricher', argv: pinned(SUBJECT_CORE, [process.execPath, ENRICHER_MAIN, 'serve']), env, logFile, ipc: false });
      await untilHealthy(child, `http://127.0.0.1:${adminPort}/healthz`, 30_000);
      return { pid: child.pid, address: `127.0.0.1:${grpcPort}`, child };
    },
  };
}

/** Polls GET url until it answers 200; fails early, with the log, if the child exits. */
async function untilHealthy(child: Child, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!child.running) throw child.failure('exited during start-up');
    if ((await statusOf(url)) === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw child.failure(`was not healthy at ${url} within ${timeoutMs} ms`);
}

function statusOf(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}
