import { runBulkCommand } from '../bulkCommand';
import { processCommandIo, type CommandIo } from '../commandIo';

/**
 * `reactivate <userId...> [--file ids.txt] [--dry-run] [--json] [--simulator]`:
 * restores users from their recorded snapshot; exit 0 all done, 1 a user failed, 2 usage/config.
 */
export function runReactivate(args: string[], io: CommandIo = processCommandIo()): Promise<number> {
  return runBulkCommand('reactivate', args, io);
}
