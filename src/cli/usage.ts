import { bulkUsage } from './bulkUsage';

const CONFIG_LINE = '  -c, --config <file>   YAML configuration file (default: ENRICHER_CONFIG); non-empty environment variables override it\n';
const HELP_LINE = '  -h, --help            show this text\n';

/**
 * The `--help` text of every command: usage line, what it does, its options.
 * Printed on stdout with exit 0 for `--help`, and after the problem on stderr
 * (exit 2) for an unknown option or a bad value.
 */
export const COMMAND_USAGE: Readonly<Record<string, () => string>> = {
  serve: () =>
    'usage: genesys-otel-enricher serve [--config enricher.yaml]\n\n' +
    'Runs the enrichment service: OTLP in (gRPC 4317, HTTP 4318), spans stamped with Genesys Cloud\n' +
    'identities, OTLP/gRPC out; admin HTTP (health, metrics, /v1 deactivation) on 8081.\n' +
    'Without GENESYS_CLIENT_ID it runs the built-in Genesys simulator and prints how to try it.\n\n' +
    `options:\n${CONFIG_LINE}${HELP_LINE}\n` +
    'Settings: docs/configuration.md; `genesys-otel-enricher config` prints the effective ones.\n' +
    'Exit code: 0 after a clean shutdown (SIGTERM, SIGINT), 2 for a configuration problem.\n',
  demo: () =>
    'usage: genesys-otel-enricher demo [--config enricher.yaml]\n\n' +
    'Runs the service on local addresses with the built-in Genesys simulator and sends it generated\n' +
    'contact-center traffic, so enriched spans appear within seconds (printed to stdout unless\n' +
    'ENRICHER_EXPORT_OTLP_ENDPOINT is set).\n\n' +
    `options:\n${CONFIG_LINE}${HELP_LINE}`,
  config: () =>
    'usage: genesys-otel-enricher config [--config enricher.yaml] [--format yaml|json]\n\n' +
    'Prints the effective configuration (defaults < file < environment), secrets left out, and exits 0;\n' +
    'or prints every problem and exits 2. The YAML output has the configuration file\'s own layout and\n' +
    'units, each value\'s source as a comment: save it and pass it back with --config.\n\n' +
    `options:\n${CONFIG_LINE}` +
    '  -f, --format <f>      yaml (default) or json (the same layout, no comments)\n' +
    HELP_LINE,
  simulator: () =>
    'usage: genesys-otel-enricher simulator [--port 9000] [--host 127.0.0.1] [--token-lifetime 86400]\n\n' +
    'Runs the Genesys Cloud simulator on its own (seeded demo org) and prints its URL, OAuth client\n' +
    'credentials and example user ids. Point GENESYS_API_URL, GENESYS_CLIENT_ID and\n' +
    'GENESYS_CLIENT_SECRET at it to keep its state between commands.\n\n' +
    'options:\n' +
    '  --port <n>            port to listen on, 0 for any free one (default 9000)\n' +
    '  --host <h>            address to listen on (default 127.0.0.1)\n' +
    '  --token-lifetime <s>  lifetime of the OAuth tokens it issues, seconds (default 86400)\n' +
    HELP_LINE,
  'demo-traffic': () =>
    'usage: genesys-otel-enricher demo-traffic [--target host:4317] [--rate 5] [--count N]\n\n' +
    'Sends generated contact-center traces whose spans carry the simulator demo org\'s user ids\n' +
    '(active, inactive, deleted, and a few unknown ones on purpose) to an OTLP/gRPC endpoint.\n\n' +
    'options:\n' +
    '  --target <host:port>  OTLP/gRPC endpoint, or an http(s):// URL (default 127.0.0.1:4317)\n' +
    '  --rate <n>            traces per second, up to 1000 (default 5)\n' +
    '  --count <n>           stop after this many traces (default: until Ctrl-C)\n' +
    HELP_LINE,
  deactivate: () => bulkUsage('deactivate'),
  reactivate: () => bulkUsage('reactivate'),
};
