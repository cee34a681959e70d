import path from 'node:path';
import { Child } from './child';
import type { PassthroughReady } from './passthrough';
import { pinned, SUBJECT_CORE } from './pinning';
import { cleanEnv, type Subject, type Variant } from './subject';

const SCRIPT = path.join(__dirname, 'passthrough.js');

/** The baseline: benchmarks/passthrough.ts in its own process. */
export const passthroughVariant: Variant = {
  name: 'passthrough',
  async start(sinkPort: number, logFile: string): Promise<Subject> {
    const child = new Child({
      name: 'passthrough',
      argv: pinned(SUBJECT_CORE, [process.execPath, SCRIPT, '--target', `127.0.0.1:${sinkPort}`]),
      env: cleanEnv(),
      logFile,
      ipc: true,
    });
    const ready = await child.next<PassthroughReady>('ready', 15_000);
    return { pid: child.pid, address: `127.0.0.1:${ready.port}`, child };
  },
};
