/**
 * The built service as the Docker image runs it: an unprivileged user, a
 * working directory (/app) that belongs to root, and the one writable
 * directory the Dockerfile makes (owned by the service's user, a VOLUME).
 * The layout is read from the Dockerfile and docker-compose.yml and rebuilt
 * under a temporary root; tests run as root, so spawn's uid/gid make the child
 * `nobody`, as `USER node` makes it in the image.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildOrg, DEMO_SEED } from '../../src/simulator/org/seed';
import { spawnServe, startServe, waitForLog, type ServeProcess } from '../chaos/support/serveProcess';
import { loadCompose, service, serviceEnv } from './support/compose';
import { envAssignments, parseDockerfile } from './support/dockerfile';
import { readRepoFile, REPO_ROOT } from './support/repoFiles';

const runtime = parseDockerfile(readRepoFile('Dockerfile')).at(-1)!;
const imageEnv: Record<string, string> = Object.assign({}, ...runtime.instructions.filter((i) => i.keyword === 'ENV').map((i) => envAssignments(i.args)));
const volume = JSON.parse(runtime.instructions.find((i) => i.keyword === 'VOLUME')!.args) as string[];
const madeDirs = runtime.instructions
  .filter((i) => i.keyword === 'RUN' && /\bmkdir -p\b/.test(i.args))
  .flatMap((i) => /mkdir -p ((?:\/\S+\s*)+)/.exec(i.args)![1]!.trim().split(/\s+/));
const composeEnv = serviceEnv(service(loadCompose(), 'enricher'));
const ADMIN_TOKEN = 'non-root-test-token-0123456789abcdef';
const asRoot = process.getuid?.() === 0;
const nobody = asRoot ? { uid: Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', 'nobody'], { encoding: 'utf8' })) } : undefined;

describe('the built service as a non-root user in the image layout', { skip: asRoot ? false : 'needs root to run the child as another user' }, () => {
  let root: string;
  let app: string;
  /** A path of the image, under the temporary root. */
  const inImage = (p: string) => path.join(root, p);
  /** The image's environment with its paths under the temporary root, listening on free loopback ports. */
  const env = (extra: Record<string, string | undefined> = {}): Record<string, string> => {
    const out: Record<string, string | undefined> = { ...imageEnv };
    for (const [k, v] of Object.entries(out)) if (v?.startsWith('/')) out[k] = inImage(v);
    Object.assign(out, { ENRICHER_OTLP_GRPC_ADDRESS: '127.0.0.1:0', ENRICHER_OTLP_HTTP_ADDRESS: '127.0.0.1:0', ENRICHER_ADMIN_ADDRESS: '127.0.0.1:0' }, extra);
    return Object.fromEntries(Object.entries(out).filter((e): e is [string, string] => e[1] !== undefined));
  };
  const spawnOptions = () => ({ cwd: app, main: 'dist/src/cli/main.js', ...nobody });

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'enricher-image-'));
    fs.chmodSync(root, 0o755);
    app = inImage('/app'); // WORKDIR /app: root's, as COPY leaves it
    fs.mkdirSync(app, { mode: 0o755 });
    for (const name of ['dist', 'node_modules', 'proto']) fs.symlinkSync(path.join(REPO_ROOT, name), path.join(app, name));
    fs.copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(app, 'package.json'));
    for (const dir of madeDirs) fs.mkdirSync(inImage(dir), { recursive: true });
    for (const dir of volume) execFileSync('chown', ['-R', `${nobody!.uid}:${nobody!.gid}`, inImage(dir)]);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('the Dockerfile puts the journal on a volume the service user owns', () => {
    assert.equal(runtime.instructions.filter((i) => i.keyword === 'USER').at(-1)?.args, 'node');
    assert.ok(imageEnv.ENRICHER_DATA_DIR, 'the image sets ENRICHER_DATA_DIR');
    assert.ok(volume.some((v) => imageEnv.ENRICHER_DATA_DIR!.startsWith(`${v}/`)), `${imageEnv.ENRICHER_DATA_DIR} is on a VOLUME (${volume.join(', ')})`);
    assert.ok(runtime.instructions.some((i) => i.keyword === 'RUN' && volume.every((v) => i.args.includes(`chown -R node:node ${v}`))), 'the volume belongs to node');
    assert.ok(madeDirs.includes(imageEnv.ENRICHER_DATA_DIR!));
    assert.ok(madeDirs.includes(composeEnv.ENRICHER_EXPORT_QUEUE_DIR!), "compose's queue directory is made by the image");
  });

  it("deactivates over the admin API with compose's journal and persistent queue on the volume", async () => {
    const proc = await startServe(env({ ENRICHER_ADMIN_TOKEN: ADMIN_TOKEN, ENRICHER_DATA_DIR: inImage(composeEnv.ENRICHER_DATA_DIR!), ENRICHER_EXPORT_QUEUE_DIR: inImage(composeEnv.ENRICHER_EXPORT_QUEUE_DIR!) }), 30_000, spawnOptions());
    try {
      const admin = String((await waitForLog(proc, (r) => r.msg === 'admin HTTP listening')).address);
      const userId = buildOrg({ seed: DEMO_SEED, demo: true }).org.active[0]!;
      const post = (body: object) =>
        fetch(`http://${admin}/v1/users/${userId}/deactivate`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const dry = await post({ dryRun: true });
      assert.equal(dry.status, 200, await dry.clone().text());
      const real = await post({ reason: 'Voluntary' });
      const report = (await real.json()) as { status: string };
      assert.equal(real.status, 200, JSON.stringify(report));
      assert.equal(report.status, 'completed');
      const journal = fs.readdirSync(inImage(composeEnv.ENRICHER_DATA_DIR!), { recursive: true });
      assert.ok(journal.length > 0, 'the journal was written');
      const queueFiles = fs.readdirSync(inImage(composeEnv.ENRICHER_EXPORT_QUEUE_DIR!));
      assert.ok(queueFiles.length > 0, 'the persistent queue opened its directory');
      assert.equal(fs.statSync(path.join(inImage(composeEnv.ENRICHER_EXPORT_QUEUE_DIR!), queueFiles[0]!)).uid, nobody!.uid);
    } finally {
      await stop(proc);
    }
  });

  it('refuses to start, exit 2 naming ENRICHER_DATA_DIR, when the journal would go to the root-owned working directory', async () => {
    const { code, stderr } = await runToExit(env({ ENRICHER_ADMIN_TOKEN: ADMIN_TOKEN, ENRICHER_DATA_DIR: undefined }));
    assert.equal(code, 2, stderr);
    assert.match(stderr, /ENRICHER_DATA_DIR \(deactivation\.data_dir\): "\.\/data" \(.*\/app\/data\) is not a writable directory \(EACCES\)/);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
  });

  it('refuses to start, exit 2 naming ENRICHER_EXPORT_QUEUE_DIR, when the persistent queue cannot be written', async () => {
    const { code, stderr } = await runToExit(env({ ENRICHER_EXPORT_QUEUE_DIR: path.join(app, 'queue') }));
    assert.equal(code, 2, stderr);
    assert.match(stderr, /ENRICHER_EXPORT_QUEUE_DIR \(exporter\.sending_queue\.directory\): ".*\/app\/queue" is not a writable directory \(EACCES\)/);
  });

  it('starts without a writable journal when the admin routes are off: nothing will write it', async () => {
    const proc = await startServe(env({ ENRICHER_DATA_DIR: undefined }), 30_000, spawnOptions());
    await stop(proc);
    assert.equal(fs.existsSync(path.join(app, 'data')), false);
  });

  async function runToExit(childEnv: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
    const child = spawnServe(childEnv, spawnOptions());
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c));
    child.stdout!.resume();
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    return { code, stderr };
  }
});

async function stop(proc: ServeProcess): Promise<void> {
  proc.child.kill('SIGTERM');
  assert.equal(await proc.exited, 0, proc.output());
}
