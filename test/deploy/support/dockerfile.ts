/**
 * A small Dockerfile reader: enough structure (stages, instructions, exec-form
 * arrays, --flags, ENV pairs) for the deployment tests, not a full parser.
 */
export interface Instruction {
  /** Upper-cased, e.g. `COPY`. */
  readonly keyword: string;
  /** Everything after the keyword, continuation lines joined. */
  readonly args: string;
  /** 1-based line where the instruction starts. */
  readonly line: number;
}

export interface Stage {
  /** Base image of the FROM line. */
  readonly from: string;
  /** Name given with `AS`, if any. */
  readonly name?: string;
  readonly instructions: Instruction[];
}

/** Splits a Dockerfile into stages; instructions before the first FROM (ARG) are dropped. */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const ins of instructions(text)) {
    if (ins.keyword === 'FROM') {
      const m = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?\s*$/i.exec(ins.args);
      if (!m) throw new Error(`line ${ins.line}: cannot read FROM ${ins.args}`);
      stages.push({ from: m[1]!, name: m[2], instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(ins);
    }
  }
  return stages;
}

function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let current: { line: number; text: string } | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trimEnd();
    if (/^\s*#/.test(line) || (current === undefined && line.trim() === '')) return;
    const continued = line.endsWith('\\');
    const piece = continued ? line.slice(0, -1) : line;
    current = current ? { line: current.line, text: `${current.text} ${piece.trim()}` } : { line: i + 1, text: piece.trim() };
    if (continued) return;
    const m = /^(\S+)\s*(.*)$/.exec(current.text)!;
    out.push({ keyword: m[1]!.toUpperCase(), args: m[2]!.trim(), line: current.line });
    current = undefined;
  });
  return out;
}

/** The array of an exec-form argument (`["node", "x.js"]`), or undefined for shell form. */
export function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string')) throw new Error(`bad exec form: ${args}`);
  return parsed;
}

/** Leading `--name=value` flags of an instruction, and the rest of its arguments. */
export function splitFlags(args: string): { flags: Record<string, string>; rest: string } {
  const flags: Record<string, string> = {};
  let rest = args;
  for (let m = /^--([a-z-]+)=(\S+)\s*/.exec(rest); m; m = /^--([a-z-]+)=(\S+)\s*/.exec(rest)) {
    flags[m[1]!] = m[2]!;
    rest = rest.slice(m[0].length);
  }
  return { flags, rest };
}

/** Variables set by an `ENV` instruction, in `K=V K2=V2` or legacy `K V` form (no quoting). */
export function envAssignments(args: string): Record<string, string> {
  if (!/^\S+=/.test(args)) {
    const m = /^(\S+)\s+(.*)$/.exec(args);
    return m ? { [m[1]!]: m[2]! } : {};
  }
  return Object.fromEntries(args.split(/\s+/).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}
