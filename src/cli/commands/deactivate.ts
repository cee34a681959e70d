import { runBulkCommand } from '../bulkCommand';
import { processCommandIo, type CommandIo } from '../commandIo';

/**
 * `deactivate <userId...> [--file ids.txt] [--dry-run] [--reason R] [--json] [--simulator]`:
 * soft-deactivates users through the use case; exit 0 all done, 1 a user failed, 2 usage/config.
 */
export function runDeactivate(args: string[], io: CommandIo = processCommandIo()): Promise<number> {
  return runBulkCommand('deactivate', args, io);
}
