import { runConfig } from './commands/config';
import { runDemo } from './commands/demo';
import { runDeactivate } from './commands/deactivate';
import { runDemoTraffic } from './commands/demoTraffic';
import { runReactivate } from './commands/reactivate';
import { runServe } from './commands/serve';
import { runSimulator } from './commands/simulator';

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
`;

const COMMANDS: Record<string, (args: string[]) => Promise<number | void>> = {
  serve: runServe,
  demo: runDemo,
  config: runConfig,
  simulator: runSimulator,
  'demo-traffic': runDemoTraffic,
  deactivate: runDeactivate,
  reactivate: runReactivate,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    process.stderr.write(`unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  const code = await run(rest);
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
