/**
 * The README as a newcomer reads it: the set-up commands first, ids that exist
 * in the simulator's seeded org (so every example works against `npm start`),
 * and links that land on a heading.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildOrg, DEMO_SEED } from '../../src/simulator/org/seed';
import { readRepoFile, REPO_ROOT } from '../deploy/support/repoFiles';

const readme = readRepoFile('README.md');
const { store, org } = buildOrg({ seed: DEMO_SEED, demo: true });
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g;

/** GitHub's anchor of a heading. */
function anchor(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-');
}

/** The anchors of a markdown file's headings, outside code blocks. */
function anchors(text: string): Set<string> {
  const out = new Set<string>();
  let code = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) code = !code;
    else if (!code && /^#{1,6} /.test(line)) out.add(anchor(line.replace(/^#+/, '')));
  }
  return out;
}

describe('README.md', () => {
  it('opens with the two set-up commands', () => {
    assert.deepEqual(readme.split('\n').slice(0, 6), [
      '# genesys-otel-enricher',
      '',
      '```sh',
      'npm ci && npm start   # run the service; without Genesys credentials it uses the built-in Genesys simulator (and says so loudly)',
      'npm test              # run the test suite',
      '```',
    ]);
  });

  it('uses only user ids of the simulator\'s seeded demo org, in the state the text gives them', () => {
    const ids = [...new Set(readme.match(UUID) ?? [])].filter((id) => id !== '5b8efff7-9803-8103-d269-b633813fc60c');
    assert.ok(ids.length >= 4);
    for (const id of ids) assert.ok(store.users.has(id), `${id} is not a user of the demo org`);
    const name = (id: string) => store.users.get(id)!.name;
    assert.match(readme, new RegExp(`${org.active[0]}[^\\n]*${name(org.active[0]!)}|${name(org.active[0]!)}, an active agent`));
    assert.match(readme, new RegExp(`span ${org.inactive[0]}\` \\(${name(org.inactive[0]!)},\\s+inactive\\)`));
    assert.match(readme, new RegExp(`span ${org.deleted[0]}\` \\(${name(org.deleted[0]!)}, deleted\\)`));
  });

  it('walks through start, a span, a deactivation and the span saying inactive', () => {
    const walk = readme.slice(readme.indexOf('## Five minutes with the enricher'), readme.indexOf('## Deploying'));
    for (const step of ['ENRICHER_ADMIN_TOKEN=walkthrough-token-change-me-0123456789 npm start', 'span 00853c04', '"dryRun": true', '"reason": "Voluntary"', 'genesys.user.state="inactive"']) {
      assert.ok(walk.includes(step), `the walkthrough has ${step}`);
    }
    assert.ok(readme.indexOf('## Five minutes with the enricher') < readme.indexOf('## Deploying'));
    assert.ok(readme.indexOf('## Deploying') < readme.indexOf('## Administrators: soft-deactivation'));
    assert.ok(readme.indexOf('## Administrators: soft-deactivation') < readme.indexOf('## Operations'));
    assert.ok(readme.indexOf('## Operations') < readme.indexOf('## Reference'));
  });

  it('links only to files that exist and to headings that exist (README and docs/)', () => {
    for (const file of ['README.md', 'docs/operations.md', 'docs/configuration.md']) {
      const text = readRepoFile(file);
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue; // http(s) links
        const [rel, hash] = target!.split('#');
        const resolved = rel ? path.join(path.dirname(path.join(REPO_ROOT, file)), rel) : path.join(REPO_ROOT, file);
        assert.ok(existsSync(resolved), `${file}: ${target} does not exist`);
        if (hash && resolved.endsWith('.md')) assert.ok(anchors(readRepoFile(path.relative(REPO_ROOT, resolved))).has(hash), `${file}: ${target} has no such heading`);
      }
    }
  });
});
