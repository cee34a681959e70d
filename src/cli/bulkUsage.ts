import { STATE_CHANGE_REASONS } from '../deactivation/types';

/** The help text of `deactivate` and `reactivate`. */
export function bulkUsage(action: 'deactivate' | 'reactivate'): string {
  const what =
    action === 'deactivate'
      ? 'Soft-deactivates Genesys Cloud users: off queue, offline, stations freed, their own queue\n' +
        'memberships, skills, languages and role grants removed, state inactive, sessions revoked.\n' +
        'Never deletes anyone; every run is journalled in ENRICHER_DATA_DIR and can be resumed and\n' +
        'undone (reactivate).'
      : 'Restores users deactivated by this tool from the recorded snapshot: default station, queue\n' +
        'memberships, skills, languages, and what optional steps changed; state active; then role grants.';
  const reason =
    action === 'deactivate'
      ? `  --reason <reason>  record why: ${STATE_CHANGE_REASONS.join(', ')}\n` +
        '  --remove-groups    also remove the users from their groups (groups still grant queues and roles)\n' +
        '  --move-division    also move them to ENRICHER_OFFBOARDING_DIVISION_ID\n' +
        '  --remove-management-unit  also remove them from their workforce management unit\n'
      : '';
  return (
    `usage: genesys-otel-enricher ${action} [options] [userId...]\n\n${what}\n\noptions:\n` +
    '  --file <path>      read user ids from a file: one per line, # comments and blank lines ignored (repeatable)\n' +
    '  --external-id <AUTHORITY:KEY>  a person by an outside system\'s key, e.g. hr-system:E10001 (repeatable)\n' +
    '  --email <address>  a person by email, through Genesys search (eventually consistent) (repeatable)\n' +
    '  --column <name>    the --file arguments are CSV with a header row; this column names the people:\n' +
    '                     external keys with --authority, else user ids (or emails, values with an @)\n' +
    '  --authority <name> the external id authority of the --column values, e.g. HR\n' +
    '  --dry-run          show what would change; change nothing\n' +
    reason +
    '  --json             print the reports as JSON on stdout instead of the summary table\n' +
    '  --simulator        without GENESYS_CLIENT_ID: run against the built-in simulator (demo org, gone at exit)\n' +
    '  -c, --config <f>   YAML configuration file, as for serve (default ENRICHER_CONFIG); the environment overrides it\n' +
    '  -h, --help         show this text\n\n' +
    'People named by external id, email or CSV row are looked up first and shown (SOURCE column) in\n' +
    'the dry run; one that matches nobody (or several) is reported and nothing is done for it.\n' +
    'Configured like serve: GENESYS_*, ENRICHER_DATA_DIR, ENRICHER_GENESYS_MAX_RPM (see README).\n' +
    'Exit code: 0 all users done, 1 any user failed or ended partial, 2 usage or configuration error.\n'
  );
}
