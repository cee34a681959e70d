const USAGE = `usage: genesys-otel-enricher <command> [options]

commands:
  serve          run the enrichment service: serve [--config enricher.yaml] (environment variables override the file)
  demo           run the service with the built-in Genesys simulator and generated traffic: demo [--config enricher.yaml]
  config         print the effective configuration, secrets redacted: config [--config enricher.yaml] [--format yaml|json]
  simulator      run the Genesys Cloud simulator on its own and print its URL and credentials
  demo-traffic   send generated contact-center traces to an OTLP/gRPC endpoint
  deactivate     soft-deactivate offboarded agents: deactivate <userId...> [--file ids.txt] [--dry-run] [--reason R]
  reactivate     restore users deactivated by this tool from their snapshot: reactivate <userId...> [--file ids.txt]
  help           show this text

Run \`genesys-otel-enricher <command> --help\` for a command's options.
`;

type Command = (args: string[]) => Promise<number | void>;

/**
 * Each command's module is loaded only when that command runs: `serve` then
 * never carries the demo traffic generator's OpenTelemetry SDK, nor the
 * deactivation CLI, on its heap (a smaller heap is cheaper to collect).
 */
const COMMANDS: Record<string, () => Command> = {
  serve: () => (require('./commands/serve') as typeof import('./commands/serve')).runServe,
  demo: () => (require('./commands/demo') as typeof import('./commands/demo')).runDemo,
  config: () => (require('./commands/config') as typeof import('./commands/config')).runConfig,
  simulator: () => (require('./commands/simulator') as typeof import('./commands/simulator')).runSimulator,
  'demo-traffic': () => (require('./commands/demoTraffic') as typeof import('./commands/demoTraffic')).runDemoTraffic,
  deactivate: () => (require('./commands/deactivate') as typeof import('./commands/deactivate')).runDeactivate,
  reactivate: () => (require('./commands/reactivate') as typeof import('./commands/reactivate')).runReactivate,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    process.stderr.write(`genesys-otel-enricher: which command?\n\n${USAGE}`);
    return 2;
  }
  if (command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return 0;
  }
  const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!load) {
    process.stderr.write(`unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  const code = await load()(rest);
  return code ?? 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`genesys-otel-enricher: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
