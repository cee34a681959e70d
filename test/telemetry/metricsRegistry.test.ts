import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Histogram } from '../../src/telemetry/metricsHistogram';
import { MetricsRegistry, PROMETHEUS_CONTENT_TYPE, formatValue } from '../../src/telemetry/metricsRegistry';

describe('MetricsRegistry (Prometheus text exposition 0.0.4)', () => {
  it('writes HELP, TYPE and one line per sample, in declaration order, reading values at render time', () => {
    let sent = 1;
    const registry = new MetricsRegistry()
      .add({ name: 'b_sent_total', help: 'Things sent.', type: 'counter', collect: () => [{ value: sent }] })
      .add({
        name: 'a_queue_size',
        help: 'Things queued.',
        type: 'gauge',
        collect: () => [
          { labels: { exporter: 'otlp' }, value: 3 },
          { labels: { exporter: 'debug' }, value: 0 },
        ],
      });
    sent = 42;

    assert.equal(
      registry.render(),
      [
        '# HELP b_sent_total Things sent.',
        '# TYPE b_sent_total counter',
        'b_sent_total 42',
        '# HELP a_queue_size Things queued.',
        '# TYPE a_queue_size gauge',
        'a_queue_size{exporter="otlp"} 3',
        'a_queue_size{exporter="debug"} 0',
        '',
      ].join('\n'),
    );
    assert.deepEqual(registry.names(), ['b_sent_total', 'a_queue_size']);
    assert.equal(PROMETHEUS_CONTENT_TYPE, 'text/plain; version=0.0.4; charset=utf-8');
  });

  it('escapes label values and help text as the format requires', () => {
    const registry = new MetricsRegistry().add({
      name: 'x',
      help: 'back\\slash and\nnewline',
      type: 'gauge',
      collect: () => [{ labels: { reason: 'say "hi"\\\n' }, value: 1 }],
    });
    const lines = registry.render().split('\n');
    assert.equal(lines[0], '# HELP x back\\\\slash and\\nnewline');
    assert.equal(lines[2], 'x{reason="say \\"hi\\"\\\\\\n"} 1');
  });

  it('renders histograms as cumulative _bucket lines with le, a +Inf bucket, _sum and _count', () => {
    const h = new Histogram([0.1, 1]);
    for (const v of [0.05, 0.1, 0.5, 3]) h.observe(v);
    const registry = new MetricsRegistry().add({ name: 'lookup_seconds', help: 'Look-ups.', type: 'histogram', collect: () => [h.snapshot()] });
    assert.deepEqual(registry.render().split('\n').slice(2, -1), [
      'lookup_seconds_bucket{le="0.1"} 2',
      'lookup_seconds_bucket{le="1"} 3',
      'lookup_seconds_bucket{le="+Inf"} 4',
      'lookup_seconds_sum 3.65',
      'lookup_seconds_count 4',
    ]);
  });

  it('leaves out, and counts, a family whose callback throws, and still renders the others', () => {
    const registry = new MetricsRegistry()
      .add({ name: 'broken', help: 'Breaks.', type: 'gauge', collect: () => { throw new Error('component gone'); } })
      .add({ name: 'fine', help: 'Fine.', type: 'gauge', collect: () => [{ value: 1 }] });
    assert.equal(registry.render(), '# HELP fine Fine.\n# TYPE fine gauge\nfine 1\n');
    assert.equal(registry.collectFailures, 1);
  });

  it('rejects malformed and duplicate metric names, and malformed label names at render', () => {
    const registry = new MetricsRegistry().add({ name: 'ok_total', help: 'h', type: 'counter', collect: () => [] });
    assert.throws(() => registry.add({ name: 'ok_total', help: 'h', type: 'counter', collect: () => [] }), /declared twice/);
    assert.throws(() => registry.add({ name: '1bad', help: 'h', type: 'counter', collect: () => [] }), /invalid metric name/);
    registry.add({ name: 'labelled', help: 'h', type: 'gauge', collect: () => [{ labels: { 'bad-label': 'x' }, value: 1 }] });
    assert.doesNotMatch(registry.render(), /labelled/);
  });

  it('spells non-finite values as Prometheus does', () => {
    assert.deepEqual([NaN, Infinity, -Infinity, 0.25, 12].map(formatValue), ['NaN', '+Inf', '-Inf', '0.25', '12']);
  });
});

describe('Histogram', () => {
  it('rejects unsorted or non-finite bounds and ignores NaN observations', () => {
    assert.throws(() => new Histogram([1, 0.5]), /ascending/);
    assert.throws(() => new Histogram([1, Infinity]), /finite/);
    const h = new Histogram([1]);
    h.observe(NaN);
    h.observe(2);
    assert.deepEqual(h.snapshot(), { buckets: [{ le: 1, count: 0 }], sum: 2, count: 1 });
  });
});
