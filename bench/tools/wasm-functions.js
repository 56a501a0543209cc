// Lists the biggest functions of a wasm built with --profiling-funcs (name section), grouped
// by a rough origin, to see where the bytes go: node bench/tools/wasm-functions.js x.wasm [top]
import { readFileSync } from 'node:fs';

const [file, topArg = '40'] = process.argv.slice(2);
const bytes = readFileSync(file);
let offset = 8;
function leb() {
  let result = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[offset++];
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(byte & 0x80)) return result;
  }
}
// A length-prefixed name. Not `offset += leb()`: that reads `offset` before leb() advances it,
// so the length's own bytes would be read again as the name.
function skipName() {
  const length = leb();
  offset += length;
}
const bodies = [];
const names = new Map();
let importedFunctions = 0;
const sections = [];
while (offset < bytes.length) {
  const id = bytes[offset++];
  const size = leb();
  const end = offset + size;
  sections.push({ id, size });
  if (id === 2) {
    const count = leb();
    for (let i = 0; i < count; i++) {
      skipName(); // module
      skipName(); // field
      const kind = bytes[offset++];
      if (kind === 0) { leb(); importedFunctions++; }
      else if (kind === 1) { offset++; const flags = leb(); leb(); if (flags & 1) leb(); }
      else if (kind === 2) { const flags = leb(); leb(); if (flags & 1) leb(); }
      else if (kind === 3) { offset += 2; }
      else if (kind === 4) { offset++; leb(); }
    }
  } else if (id === 10) {
    const count = leb();
    for (let i = 0; i < count; i++) {
      const bodySize = leb();
      bodies.push(bodySize);
      offset += bodySize;
    }
  } else if (id === 0) {
    const nameLength = leb();
    const name = bytes.subarray(offset, offset + nameLength).toString();
    offset += nameLength;
    if (name === 'name') {
      while (offset < end) {
        const sub = bytes[offset++];
        const subSize = leb();
        const subEnd = offset + subSize;
        if (sub === 1) {
          const count = leb();
          for (let i = 0; i < count; i++) {
            const index = leb();
            const length = leb();
            names.set(index, bytes.subarray(offset, offset + length).toString());
            offset += length;
          }
        }
        offset = subEnd;
      }
    }
  }
  offset = end;
}
console.log('sections:', sections.map((s) => `${s.id}:${s.size}`).join(' '));
const functions = bodies.map((size, i) => ({ size, name: names.get(i + importedFunctions) ?? `#${i}` }));
functions.sort((a, b) => b.size - a.size);
const groups = new Map();
for (const { size, name } of functions) {
  const group = /nlohmann/.test(name) ? 'nlohmann' : /ivschat/.test(name) ? 'ivschat' : /emscripten|embind|_EmVal|BindingType/.test(name) ? 'embind'
    : /^std::|__2::|basic_string|__tree|__hash/.test(name) ? 'libc++' : /^(dl|malloc|free|sbrk|emmalloc)/.test(name) ? 'malloc'
    : /printf|fmt_|pop_arg|strto|scan|__floatscan|__intscan|frexp|fwrite|out$/.test(name) ? 'libc stdio/strto' : /cxa|unwind|Unwind|exception|typeinfo|demangle|itanium/i.test(name) ? 'exceptions/rtti' : 'other';
  groups.set(group, (groups.get(group) ?? 0) + size);
}
console.log('total code', bodies.reduce((a, b) => a + b, 0), 'functions', bodies.length);
console.log([...groups].sort((a, b) => b[1] - a[1]).map(([g, s]) => `${g}: ${s}`).join('\n'));
for (const { size, name } of functions.slice(0, Number(topArg))) console.log(size, name.slice(0, 160));
