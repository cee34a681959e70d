/**
 * A strict reader of the Prometheus text format 0.0.4 for tests: every line
 * must be a HELP, a TYPE or a sample of the family just declared; samples are
 * keyed `name{a="x",b="y"}` with labels sorted, so tests can look them up.
 */
import assert from 'node:assert/strict';

export interface Exposition {
  /** Sample key (`name` or `name{label="v",...}`, labels sorted) to value. */
  readonly samples: ReadonlyMap<string, number>;
  /** Family name to type. */
  readonly types: ReadonlyMap<string, string>;
  /** Family name to help text. */
  readonly help: ReadonlyMap<string, string>;
  /** The value of `name` with `labels`, or undefined. */
  value(name: string, labels?: Record<string, string>): number | undefined;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"/g;

export function sampleKey(name: string, labels: Record<string, string> = {}): string {
  const pairs = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  return pairs.length === 0 ? name : `${name}{${pairs.map(([k, v]) => `${k}="${v}"`).join(',')}}`;
}

export function parseExposition(text: string): Exposition {
  assert.ok(text.endsWith('\n'), 'the exposition ends with a newline');
  const samples = new Map<string, number>();
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  let family: string | undefined;
  for (const line of text.slice(0, -1).split('\n')) {
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta;
      if (kind === 'HELP') {
        assert.ok(!help.has(name), `${name} described twice`);
        help.set(name, rest);
        family = name;
      } else {
        assert.equal(family, name, `TYPE of ${name} follows its HELP`);
        assert.match(rest, /^(counter|gauge|histogram)$/);
        types.set(name, rest);
      }
      continue;
    }
    const m = SAMPLE.exec(line);
    assert.ok(m, `not a sample line: ${JSON.stringify(line)}`);
    const [, name, labelText, raw] = m;
    assert.ok(family !== undefined && (name === family || name.startsWith(`${family}_`)), `${name} outside its family ${family}`);
    const labels: Record<string, string> = {};
    for (const [, k, v] of (labelText ?? '').matchAll(LABEL)) labels[k] = v;
    const value = raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw);
    assert.ok(!Number.isNaN(value) || raw === 'NaN', `bad value ${raw}`);
    const key = sampleKey(name, labels);
    assert.ok(!samples.has(key), `${key} twice`);
    samples.set(key, value);
  }
  return { samples, types, help, value: (name, labels) => samples.get(sampleKey(name, labels)) };
}

/** GETs `path` of the admin listener; resolves with status, content type and body. */
export async function adminGet(port: number, path: string): Promise<{ status: number; contentType: string | null; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, contentType: res.headers.get('content-type'), body: await res.text() };
}
