// npx tsx bench/cpuprofile-summary.ts <file.cpuprofile> [function|file|package] [top] [--inclusive]
//
// Sums a V8 CPU profile (from BENCH_CPU_PROF=<dir> in bench/invoices.ts, or node --cpu-prof):
// self time per function (default), per file or per package (node_modules/<name>, src/<folder>,
// node internals); --inclusive counts each sample once for every function on its stack instead.
// Idle time is reported on its own and left out of the percentages.
import fs from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const inclusive = args.includes('--inclusive');
const [file, mode = 'function', top = '40'] = args.filter((arg) => arg !== '--inclusive');
if (!file || !['function', 'file', 'package'].includes(mode)) {
  process.stderr.write('usage: npx tsx bench/cpuprofile-summary.ts <file.cpuprofile> [function|file|package] [top] [--inclusive]\n');
  process.exit(2);
}

const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);

function keyOf(frame: CallFrame): string {
  const url = frame.url.replace(/^file:\/\/.*?\/(node_modules|src|bench|test)\//, '$1/');
  if (mode === 'file') return url || `(${frame.functionName || 'native'})`;
  if (mode === 'package') {
    const dependency = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
    if (dependency) return dependency[1]!;
    if (url.startsWith('src/')) return url.split('/').slice(0, 2).join('/');
    if (url.startsWith('node:')) return 'node internals';
    return url || `(${frame.functionName || 'native'})`;
  }
  return `${frame.functionName || '(anonymous)'} ${url}:${frame.lineNumber + 1}`;
}

const totals = new Map<string, number>();
let busy = 0;
let idle = 0;
profile.samples.forEach((sampleId, index) => {
  const micros = profile.timeDeltas[index] ?? 0;
  const leaf = nodes.get(sampleId)!;
  if (leaf.callFrame.functionName === '(idle)') {
    idle += micros;
    return;
  }
  busy += micros;
  if (!inclusive) {
    const key = keyOf(leaf.callFrame);
    totals.set(key, (totals.get(key) ?? 0) + micros);
    return;
  }
  const seen = new Set<string>();
  for (let id: number | undefined = sampleId; id !== undefined; id = parents.get(id)) {
    const key = keyOf(nodes.get(id)!.callFrame);
    if (seen.has(key)) continue;
    seen.add(key);
    totals.set(key, (totals.get(key) ?? 0) + micros);
  }
});

const msOf = (micros: number) => (micros / 1000).toFixed(1).padStart(10);
process.stdout.write(`${file}\nbusy ${msOf(busy).trim()} ms, idle ${msOf(idle).trim()} ms; ${inclusive ? 'inclusive' : 'self'} time per ${mode}\n`);
for (const [key, micros] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
  process.stdout.write(`${msOf(micros)} ms ${((100 * micros) / busy).toFixed(1).padStart(5)} %  ${key}\n`);
}
