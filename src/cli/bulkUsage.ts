import { STATE_CHANGE_REASONS } from '../deactivation/types';

/** The help text of `deactivate` and `reactivate`. */
export function bulkUsage(action: 'deactivate' | 'reactivate'): string {
  const what =
    action === 'deactivate'
      ? 'Soft-deactivates Genesys Cloud users: off queue, offline, their own queue memberships, skills,\n' +
        'languages and role grants removed, state inactive, sessions revoked. Never deletes anyone;\n' +
        'every run is journalled in ENRICHER_DATA_DIR and can be resumed and undone (reactivate).'
      : 'Restores users deactivated by this tool from the recorded snapshot: state active, queue\n' +
        'memberships, skills, languages and role grants.';
  const reason = action === 'deactivate' ? `  --reason <reason>  record why: ${STATE_CHANGE_REASONS.join(', ')}\n` : '';
  return (
    `usage: genesys-otel-enricher ${action} [options] <userId...>\n\n${what}\n\noptions:\n` +
    '  --file <path>      read user ids from a file: one per line, # comments and blank lines ignored (repeatable)\n' +
    '  --dry-run          show what would change; change nothing\n' +
    reason +
    '  --json             print the reports as JSON on stdout instead of the summary table\n' +
    '  --simulator        without GENESYS_CLIENT_ID: run against the built-in simulator (demo org, gone at exit)\n' +
    '  -c, --config <f>   YAML configuration file, as for serve (default ENRICHER_CONFIG); the environment overrides it\n' +
    '  -h, --help         show this text\n\n' +
    'Configured like serve: GENESYS_*, ENRICHER_DATA_DIR, ENRICHER_GENESYS_MAX_RPM (see README).\n' +
    'Exit code: 0 all users done, 1 any user failed or ended partial, 2 usage or configuration error.\n'
  );
}
