import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { substituteEnv } from '../../src/config/fileSubstitute';

const env = { HOST: 'jaeger', PORT: '4317', EMPTY: '', DOLLAR: '${HOST}' };

describe('${env:...} references in configuration values', () => {
  it('replaces ${env:NAME} and the short ${NAME}, anywhere in the text', () => {
    assert.deepEqual(substituteEnv('http://${env:HOST}:${PORT}', env), { ok: true, value: 'http://jaeger:4317' });
  });

  it('falls back to the default when the variable is unset or empty', () => {
    assert.deepEqual(substituteEnv('${env:NOPE:-a:b}/${env:EMPTY:-x}/${HOST:-y}', env), { ok: true, value: 'a:b/x/jaeger' });
    assert.deepEqual(substituteEnv('${env:NOPE:-}', env), { ok: true, value: '' });
  });

  it('reads $$ as a literal $ and never expands a substituted value again', () => {
    assert.deepEqual(substituteEnv('$$HOST costs $$5 ${DOLLAR}', env), { ok: true, value: '$HOST costs $5 ${HOST}' });
    assert.deepEqual(substituteEnv('no references, $ alone', env), { ok: true, value: 'no references, $ alone' });
  });

  it('names every unset variable without a default, and refuses other providers and odd references', () => {
    const r = substituteEnv('${env:A}${B}${file:/run/secret}${http://x}${not valid}', env);
    assert.equal(r.ok, false);
    assert.ok(!r.ok);
    assert.match(r.problems[0]!, /^\$\{env:A\} is not set and has no default/);
    assert.match(r.problems[1]!, /^\$\{env:B\} is not set/);
    assert.match(r.problems[2]!, /"file" provider; only env is supported/);
    assert.match(r.problems[3]!, /"http" provider/);
    assert.match(r.problems[4]!, /not a reference this file understands/);
    assert.doesNotMatch(r.problems[4]!, /not valid/, 'the text inside is not echoed');
  });
});
