// Types of the Emscripten factory generated from src/bindings/embind.cpp (copied into dist/ by
// the build so that TypeScript and editors see the generated module typed).
import type { RawIvsChatCore } from '../js/core-types.js';

export default function createIvsChatCore(moduleOverrides?: {
  locateFile?: (path: string) => string;
  print?: (text: string) => void;
  printErr?: (text: string) => void;
  instantiateWasm?: (
    imports: WebAssembly.Imports,
    receive: (instance: WebAssembly.Instance, module?: WebAssembly.Module) => void,
  ) => object;
}): Promise<RawIvsChatCore>;
