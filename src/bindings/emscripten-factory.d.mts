// Types of the Emscripten factory generated for each module (copied into dist/ as
// ivschat-client.d.mts and ivschat-backend.d.mts by the build, so that TypeScript and editors
// see the generated module typed). js/boundary-io.js reads what it makes.
// The only override the glue reads (-sINCOMING_MODULE_JS_API=[instantiateWasm] in CMakeLists.txt).
export default function createModule(moduleOverrides: {
  instantiateWasm?: (
    imports: WebAssembly.Imports,
    receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
  ) => object;
}): Promise<unknown>;
