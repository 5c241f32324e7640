// Synchronous WebAssembly instantiation, typed. TypeScript's ES2022 lib (without DOM) has no
// WebAssembly declarations, and our custom tfjs ops must instantiate synchronously (a forward pass
// cannot await), so this is the one place that touches the global.
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** A compiled module: can be posted to a worker thread and instantiated there. */
export type WasmCompiled = object;

/** Compile `bytes` now. */
export function compileSync(bytes: Uint8Array): WasmCompiled {
  return new api.Module(bytes);
}

/** Instantiate a compiled module now; returns the instance's exports. */
export function instantiateCompiled(module: WasmCompiled, imports: Record<string, Record<string, unknown>> = {}): Record<string, unknown> {
  return new api.Instance(module, imports).exports;
}

/** Compile and instantiate `bytes` now; returns the instance's exports. */
export function instantiateSync(bytes: Uint8Array, imports: Record<string, Record<string, unknown>> = {}): Record<string, unknown> {
  return new api.Instance(new api.Module(bytes), imports).exports;
}
