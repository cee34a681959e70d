/**
 * What a newcomer sees after `npm start` on the built-in simulator: one plain
 * text banner after the JSON log lines start, whose commands work when pasted
 * into a shell as printed.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { buildOrg, DEMO_SEED } from '../../src/simulator/org/seed';
import { startServe, type ServeProcess } from '../chaos/support/serveProcess';

const TOKEN = 'welcome-test-token-0123456789abcdef';
const org = buildOrg({ seed: DEMO_SEED, demo: true }).org;

/** Runs one printed command line in bash, as a user pasting it would. */
function paste(line: string): string {
  return execFileSync('bash', ['-c', line.trim()], { encoding: 'utf8', env: { PATH: process.env.PATH, ENRICHER_ADMIN_TOKEN: TOKEN } });
}

async function until<T>(what: string, proc: ServeProcess, find: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what} not seen\n${proc.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('serve on the built-in simulator: the start-up banner', () => {
  let proc: ServeProcess;
  let banner: string;
  const stdout = () => proc.output().slice('stdout:\n'.length, proc.output().lastIndexOf('\nstderr:\n'));
  const lineAfter = (label: string) => banner.split('\n')[banner.split('\n').findIndex((l) => l.includes(label)) + 1]!;

  before(async () => {
    // A budget long enough that the first, cold look-up never leaves the span marked failed on a loaded machine.
    proc = await startServe({ ENRICHER_LOOKUP_BUDGET_MS: '10000', ENRICHER_ADMIN_TOKEN: TOKEN, ENRICHER_OTLP_GRPC_ADDRESS: '127.0.0.1:0', ENRICHER_OTLP_HTTP_ADDRESS: '0.0.0.0:0', ENRICHER_ADMIN_ADDRESS: '127.0.0.1:0' }, 30_000);
    banner = await until('the banner', proc, () => /\n=+\n genesys-otel-enricher is running[\s\S]*?Ctrl-C stops the service\.\n=+\n/.exec(stdout())?.[0]);
  });
  after(async () => {
    proc.child.kill('SIGTERM');
    await proc.exited;
  });

  it('is printed once, in plain text, after the JSON log lines started', () => {
    const out = stdout();
    assert.equal(out.split('is running on the BUILT-IN GENESYS SIMULATOR').length, 2, 'once');
    assert.ok(out.indexOf('"msg":"genesys-otel-enricher started"') < out.indexOf(banner), 'after the started line');
    for (const line of banner.split('\n')) assert.ok(!line.startsWith('{'), `plain text: ${line}`);
  });

  it('says where to send spans, with the ports bound, reachable from this machine', () => {
    assert.match(banner, /Send OTLP spans to {3}gRPC 127\.0\.0\.1:\d+ {4}HTTP http:\/\/127\.0\.0\.1:\d+\/v1\/traces/);
    assert.match(banner, /Admin API {12}http:\/\/127\.0\.0\.1:\d+ /);
  });

  it('names an active, an inactive and a deleted user of the seeded org', () => {
    assert.match(banner, new RegExp(`active +${org.active[0]}  \\S`));
    assert.match(banner, new RegExp(`inactive +${org.inactive[0]}  \\S`));
    assert.match(banner, new RegExp(`deleted +${org.deleted[0]}  \\S`));
  });

  it('gives a curl that sends one span, whose enriched copy appears where it says; deactivating the user makes the next one say inactive', async () => {
    const sendSpan = lineAfter('Send one span for the active user');
    assert.match(sendSpan, /^ {2}curl -sS http:\/\/127\.0\.0\.1:\d+\/v1\/traces /);
    assert.match(banner, /printed right here by the debug exporter, as a line starting service="try-me" span="hello-enricher"/);
    paste(sendSpan);
    const enriched = await until('the enriched span', proc, () => stdout().split('\n').find((l) => l.startsWith('service="try-me" span="hello-enricher"')));
    assert.match(enriched, new RegExp(`external\\.user\\.id="${org.active[0]}" user\\.full_name="[^"]+" user\\.name="[^"]+" user\\.email="[^"]+" genesys\\.user\\.state="active"`));

    const deactivate = lineAfter('Soft-deactivate that user');
    const report = JSON.parse(paste(deactivate)) as { status: string };
    assert.equal(report.status, 'completed');
    paste(sendSpan);
    await until('the span saying inactive', proc, () => stdout().split('\n').find((l) => l.startsWith('service="try-me"') && l.includes('genesys.user.state="inactive"')));
  });

  it('logs the deactivation with each field once (no doubled "component")', () => {
    const lines = stdout().split('\n').filter((l) => l.startsWith('{') && l.includes('"component":"deactivation"'));
    assert.ok(lines.length > 0, 'the deactivation logged');
    for (const line of lines) assert.equal(line.split('"component":').length, 2, line);
  });
});
