// How workerd / wrangler and Vercel's bundler type a wasm import: an already compiled module.
declare module '*.wasm' {
  const compiledModule: WebAssembly.Module;
  export default compiledModule;
}
declare module '*.wasm?module' {
  const compiledModule: WebAssembly.Module;
  export default compiledModule;
}
