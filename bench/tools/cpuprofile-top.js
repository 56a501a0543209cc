// Self time per function of a V8 .cpuprofile (node --cpu-prof): node bench/tools/cpuprofile-top.js x.cpuprofile [top]
import { readFileSync } from 'node:fs';

const [file, topArg = '30'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const selfTicks = new Map();
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
for (const id of profile.samples) {
  const node = byId.get(id);
  const key = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').pop()}:${node.callFrame.lineNumber}`;
  selfTicks.set(key, (selfTicks.get(key) ?? 0) + 1);
}
const total = profile.samples.length;
for (const [key, ticks] of [...selfTicks].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg))) {
  console.log(`${((100 * ticks) / total).toFixed(1).padStart(5)}%  ${key.slice(0, 150)}`);
}
