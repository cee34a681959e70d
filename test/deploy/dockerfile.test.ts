import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CLI_SOURCE, DEFAULT_OTLP_GRPC_ADDRESS, DEFAULT_OTLP_HTTP_ADDRESS, ENV_VARS, HEALTH_PATH } from './support/contract';
import { envAssignments, execForm, parseDockerfile, splitFlags, type Instruction, type Stage } from './support/dockerfile';
import { parseHostPort } from './support/endpoints';
import { readRepoFile } from './support/repoFiles';
import { SERVICE_NODE_FLAGS } from '../../src/service/nodeFlags';

const stages = parseDockerfile(readRepoFile('Dockerfile'));
const build = stages[0]!;
const runtime = stages.at(-1)!;
const tsconfig = JSON.parse(readRepoFile('tsconfig.json')) as { compilerOptions: { rootDir: string; outDir: string } };

const all = (stage: Stage, keyword: string): Instruction[] => stage.instructions.filter((i) => i.keyword === keyword);
const last = (stage: Stage, keyword: string): Instruction => {
  const found = all(stage, keyword).at(-1);
  assert.ok(found, `no ${keyword} in stage ${stage.name ?? stage.from}`);
  return found;
};
const runtimeEnv = (): Record<string, string> => Object.assign({}, ...all(runtime, 'ENV').map((i) => envAssignments(i.args)));
const adminPort = (): number => parseHostPort(runtimeEnv().ENRICHER_ADMIN_ADDRESS ?? '').port;

/** Where tsc writes a source file: outDir + (path from rootDir), .ts -> .js. */
function compiledPath(source: string): string {
  const { rootDir, outDir } = tsconfig.compilerOptions;
  const relative = path.posix.relative(path.posix.normalize(rootDir), source);
  assert.ok(!relative.startsWith('..'), `${source} lies outside rootDir ${rootDir}`);
  return path.posix.join(outDir, relative.replace(/\.ts$/, '.js'));
}

describe('Dockerfile', () => {
  it('compiles in a Node.js LTS (node:24-bookworm-slim) build stage and runs from a second, slim stage', () => {
    assert.equal(stages.length, 2);
    for (const s of stages) assert.equal(s.from, 'node:24-bookworm-slim');
    assert.ok(build.name, 'the build stage is named so the runtime can copy from it');
    assert.ok(all(build, 'RUN').some((i) => /\bnpm ci\b/.test(i.args) && !/--omit=dev/.test(i.args)), 'build: npm ci with dev deps');
    assert.ok(all(build, 'RUN').some((i) => /\btsc -p tsconfig\.json\b/.test(i.args)), 'build: tsc -p tsconfig.json');
  });

  it("runs a Node.js major that package.json's engines supports, as is the one running these tests", () => {
    const engines = (JSON.parse(readRepoFile('package.json')) as { engines: { node: string } }).engines.node;
    const majors = engines.split('||').map((r) => Number(/^\s*\^(\d+)\./.exec(r)?.[1]));
    assert.ok(majors.every(Number.isInteger), `engines.node "${engines}" is a list of ^X.Y.Z ranges`);
    const imageMajor = Number(/^node:(\d+)-/.exec(runtime.from)?.[1]);
    assert.ok(majors.includes(imageMajor), `node ${imageMajor} of the image is in engines "${engines}"`);
    assert.ok(majors.includes(Number(process.versions.node.split('.')[0])), `this machine's node ${process.versions.node} is in engines "${engines}"`);
  });

  it('installs only production dependencies in the runtime stage, with dist/ from the build and proto/', () => {
    assert.ok(all(runtime, 'RUN').some((i) => /\bnpm ci\b.*--omit=dev/.test(i.args)));
    assert.equal(last(build, 'WORKDIR').args, '/app', 'the runtime copies /app/dist from the build stage');
    const copies = all(runtime, 'COPY').map((i) => splitFlags(i.args));
    assert.ok(copies.some((c) => c.flags.from === build.name && /^\/app\/dist\s+\.\/dist$/.test(c.rest)), 'COPY --from=build /app/dist ./dist');
    assert.ok(copies.some((c) => !c.flags.from && /^proto\s+\.\/proto$/.test(c.rest)), 'COPY proto ./proto (loaded at run time)');
  });

  it('runs as the unprivileged node user', () => {
    assert.equal(last(runtime, 'USER').args, 'node');
    assert.ok(last(runtime, 'USER').line < last(runtime, 'CMD').line);
  });

  it('sets only variables the service reads, and opens the receivers and the admin server to the container network', () => {
    for (const key of Object.keys(runtimeEnv()).filter((k) => /^(ENRICHER|GENESYS)_/.test(k))) {
      assert.ok((ENV_VARS as readonly string[]).includes(key), `${key} is not in ENV_VARS`);
    }
    assert.equal(runtimeEnv().ENRICHER_ADMIN_ADDRESS, '0.0.0.0:8081');
    // The service listens on loopback unless told otherwise; a published port needs 0.0.0.0 inside.
    assert.equal(runtimeEnv().ENRICHER_OTLP_GRPC_ADDRESS, `0.0.0.0:${parseHostPort(DEFAULT_OTLP_GRPC_ADDRESS).port}`);
    assert.equal(runtimeEnv().ENRICHER_OTLP_HTTP_ADDRESS, `0.0.0.0:${parseHostPort(DEFAULT_OTLP_HTTP_ADDRESS).port}`);
  });

  it('exposes the default OTLP/gRPC and OTLP/HTTP ports and the admin port', () => {
    const exposed = all(runtime, 'EXPOSE').flatMap((i) => i.args.split(/\s+/)).map((p) => Number(p.split('/')[0]));
    const expected = [parseHostPort(DEFAULT_OTLP_GRPC_ADDRESS).port, parseHostPort(DEFAULT_OTLP_HTTP_ADDRESS).port, adminPort()];
    assert.deepEqual(exposed.sort(), expected.sort());
  });

  it('checks health with node (no curl in slim images) on /healthz of the admin port', () => {
    const { rest } = splitFlags(last(runtime, 'HEALTHCHECK').args);
    assert.match(rest, /^CMD\s+\[/);
    const argv = execForm(rest.replace(/^CMD\s+/, ''))!;
    assert.equal(argv[0], 'node');
    assert.match(argv.join(' '), new RegExp(`http://127\\.0\\.0\\.1:${adminPort()}${HEALTH_PATH}\\b`));
  });

  it(`starts "serve" from the file tsc makes of ${CLI_SOURCE}, with the Node.js flags the service is tuned for`, () => {
    const cmd = execForm(last(runtime, 'CMD').args);
    assert.deepEqual(cmd, ['node', ...SERVICE_NODE_FLAGS, compiledPath(CLI_SOURCE), 'serve']);
    assert.equal(compiledPath(CLI_SOURCE), 'dist/src/cli/main.js');
  });
});

describe('.dockerignore', () => {
  const ignored = readRepoFile('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  it("keeps the host's node_modules and dist out of the build context", () => {
    assert.ok(ignored.includes('node_modules'));
    assert.ok(ignored.includes('dist'));
  });

  it('keeps everything the Dockerfile copies from the context', () => {
    const sources = stages
      .flatMap((s) => all(s, 'COPY'))
      .map((i) => splitFlags(i.args))
      .filter((c) => !c.flags.from)
      .flatMap((c) => c.rest.split(/\s+/).slice(0, -1));
    for (const src of sources) {
      const top = src.replace(/^\.\//, '').split('/')[0]!;
      assert.ok(!ignored.includes(top) && !ignored.includes(`/${top}`), `.dockerignore hides ${src}`);
    }
  });
});
