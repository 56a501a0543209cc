// @ts-check
// Where ivschat-admin.wasm (the room calls: createRoom ... deleteRoom, the CLI's room commands)
// comes from by default: set by the runtimes' entries that can find it at no cost to a token
// handler (js/entry/backend-wasm-node.js, -browser.js), read when a room call first loads the
// module (admin-core.js). A module of its own, so that setting the source never brings the admin
// module's glue into a bundle that makes no room call. workerd and Vercel Edge set none: a static
// import of the wasm would be bundled into every Worker that only mints tokens; there, the app
// passes initAdmin({ wasm }).

/** @typedef {import('../loader.js').WasmSource} WasmSource */

/** @type {(() => WasmSource | Promise<WasmSource>) | undefined} */
let defaultSource;

/** @param {() => WasmSource | Promise<WasmSource>} source */
export function setDefaultAdminWasmSource(source) {
  defaultSource = source;
}

/** The entry's default source of ivschat-admin.wasm, or undefined where there is none. */
export function defaultAdminWasmSource() {
  return defaultSource?.();
}
