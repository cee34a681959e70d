/**
 * The other process of the cross-process specs (see ./childProcess.ts).
 * hold-lock: takes a user's journal lock, prints `locked`, waits to be killed.
 * crash-run: deactivates a user and SIGKILLs itself right after a given call took effect.
 */
import { FileRunJournal } from '../../../src/deactivation/journal/fileRunJournal';
import type { GenesysClient as GenesysClientType } from '../../../src/directory/genesys/genesysClient';
import type { ChildTask } from './childProcess';

async function main(task: ChildTask): Promise<void> {
  const journal = new FileRunJournal({ dataDir: task.dataDir! });
  if (task.mode === 'hold-lock') {
    await journal.open(task.userId!);
    process.stdout.write('locked\n');
    setInterval(() => undefined, 60_000);
    return;
  }
  // Loaded only here: the Genesys SDK takes most of a second to load, which the lock holder need not pay.
  const { Deactivator } = await import('../../../src/deactivation/deactivator');
  const { GenesysClient } = await import('../../../src/directory/genesys/genesysClient');
  const { silentLogger } = await import('../../../src/telemetry/logger');
  const sim = task.sim!;
  const client = new GenesysClient({ clientId: sim.clientId, clientSecret: sim.clientSecret, apiUrl: sim.url, logger: silentLogger() });
  let seen = 0;
  const dying = {
    async call<T>(operation: string, fn: Parameters<GenesysClientType['call']>[1], options?: Parameters<GenesysClientType['call']>[2]): Promise<T> {
      const result = (await client.call(operation, fn, options)) as T;
      if (operation === task.operation && ++seen === task.nth) process.kill(process.pid, 'SIGKILL');
      return result;
    },
  };
  await new Deactivator({ client: dying, journal, logger: silentLogger() }).deactivate(task.userId!, { actor: 'test:child' });
  process.stdout.write('finished without crashing\n');
  client.close();
}

// Loaded without a task (e.g. by a test runner scanning the folder): nothing to do.
const task = process.env.DEACTIVATION_CHILD_TASK;
if (task) void main(JSON.parse(task) as ChildTask).catch((err: unknown) => {
  process.stderr.write(`child failed: ${String(err)}\n`);
  process.exit(1);
});
