import fs from 'node:fs';
import path from 'node:path';

/** The parts of a V8 `.cpuprofile` (Chrome DevTools format) that a summary needs. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time of one function, or of one group of files. */
export interface ProfileLine {
  name: string;
  percent: number;
  /** Self time, ms. */
  ms: number;
}

export interface ProfileSummary {
  /** Sampled time, ms. */
  totalMs: number;
  /** Sampled time minus idle, ms. */
  busyMs: number;
  /** Busiest functions by self time (idle excluded from the percentages). */
  functions: ProfileLine[];
  /** Self time grouped by where the code lives (our codec, grpc-js, node internals, GC, ...). */
  groups: ProfileLine[];
}

/** Where a frame's code lives, for the grouped view. */
function groupOf(url: string, name: string): string {
  if (name === '(garbage collector)') return 'GC';
  if (name === '(program)') return 'native (program)';
  if (url.includes('/processor/codec/')) return 'processor/codec';
  if (url.includes('/processor/enrich/')) return 'processor/enrich';
  if (url.includes('/directory/') || url.includes('lru-cache')) return 'directory + lru-cache';
  if (url.includes('/exporter/')) return 'exporter (ours)';
  if (url.includes('/receiver/')) return 'receiver (ours)';
  if (url.includes('@grpc/grpc-js')) return 'grpc-js';
  if (url.startsWith('node:internal/http2') || url.includes('internal/http2')) return 'node http2';
  if (url.includes('pino')) return 'pino';
  if (url.startsWith('node:') || url === '') return 'node internals + native';
  return 'other JS';
}

/** Reads the newest `.cpuprofile` in `dir` and sums self time per function and per group. */
export function summarizeProfile(dir: string, top = 25): ProfileSummary {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) throw new Error(`no .cpuprofile in ${dir}`);
  const newest = files.map((f) => path.join(dir, f)).sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0]!;
  const profile = JSON.parse(fs.readFileSync(newest, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    selfUs.set(profile.samples[i]!, (selfUs.get(profile.samples[i]!) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const byFunction = new Map<string, number>();
  const byGroup = new Map<string, number>();
  let busy = 0;
  let total = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    total += us;
    if (functionName === '(idle)') continue;
    busy += us;
    const file = url.replace(/^.*\/(dist|node_modules)\//, '');
    const key = `${functionName || '(anonymous)'}  ${file}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const group = groupOf(url, functionName);
    byGroup.set(group, (byGroup.get(group) ?? 0) + us);
  }
  const lines = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, percent: (100 * us) / busy, ms: us / 1000 }));
  return { totalMs: total / 1000, busyMs: busy / 1000, functions: lines(byFunction, top), groups: lines(byGroup, 20) };
}
