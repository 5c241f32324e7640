// Our own WGSL compute shaders run as tfjs-backend-webgpu programs, so their inputs and outputs are
// ordinary tf.Tensors that stay on the GPU. tfjs writes the shader's preamble: the bindings
// `result` (the output, array<f32>) and one read-only array<f32> per input name, the `uniforms`
// struct (our fields appended), and `_start`, which calls `main(index)` with the flat thread index
// (valid also when tfjs reshapes a dispatch larger than 65535 workgroups into 2-D).
// Only the program's plain object shape is used (WebGPUProgram in tfjs-backend-webgpu/dist/
// webgpu_program.d.ts), so nothing here imports the optional package.
import * as tf from "@tensorflow/tfjs";
import { ParameterError } from "../../errors.js";

export interface WgslProgram {
  /** Shader cache key; the code must depend on nothing else (sizes go in uniforms). */
  name: string;
  /** Input binding names, in the order the tensors are passed. */
  inputs: string[];
  outputShape: number[];
  /** Threads to launch (rounded up to whole workgroups). */
  threads: number;
  /** Default 64. */
  workgroupSize?: number;
  /**
   * Scalar uniforms after `threads`, as "name:i32" or "name:f32"; their values are passed to runWgsl
   * in the same order. (One entry per scalar: tfjs aligns a multi-value entry like a vector.)
   */
  uniforms?: string[];
  /** Module-scope WGSL (helper functions, workgroup arrays) and `fn main(index : i32) { … }`. */
  code: string;
}

type UniformValue = { type: "int32" | "float32"; data: number[] };

interface WebGpuLimits {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
  maxStorageBuffersPerShaderStage: number;
  maxComputeWorkgroupsPerDimension: number;
}

interface WebGpuBackendLike {
  device: { limits: WebGpuLimits };
  runWebGPUProgram(program: object, inputs: tf.TensorInfo[], dtype: tf.DataType, uniforms?: UniformValue[]): tf.TensorInfo;
}

function webgpuBackend(what: string): WebGpuBackendLike {
  if (tf.getBackend() !== "webgpu") throw new Error(`${what} needs the webgpu backend (active: ${tf.getBackend()})`);
  return tf.backend() as unknown as WebGpuBackendLike;
}

/**
 * The most float32 values one storage buffer may hold on this device. WebGPU reports a binding over
 * the limit only as an asynchronous validation error and the dispatch then writes nothing, so a
 * result would silently be zeros: every kernel checks its buffers against this first.
 */
export function maxWgslFloats(): number {
  const l = webgpuBackend("maxWgslFloats").device.limits;
  return Math.floor(Math.min(l.maxStorageBufferBindingSize, l.maxBufferSize) / 4);
}

/** ParameterError naming `parameter` when a buffer of `floats` values exceeds the device's limit. */
export function requireWgslBuffer(parameter: string, floats: number): void {
  const max = maxWgslFloats();
  if (floats > max) throw new ParameterError(parameter, `at most ${max} float32 values per GPU buffer (this adapter's maxStorageBufferBindingSize); use a smaller batch or length`, floats);
}

/** Run one program on the active webgpu backend; returns a new float32 tensor of `outputShape`. */
export function runWgsl(p: WgslProgram, inputs: tf.Tensor[], values: number[] = []): tf.Tensor {
  const backend = webgpuBackend(`WGSL kernel "${p.name}"`);
  if (inputs.length !== p.inputs.length) throw new Error(`WGSL kernel "${p.name}" takes ${p.inputs.length} inputs, got ${inputs.length}`);
  const limits = backend.device.limits;
  if (inputs.length + 1 > limits.maxStorageBuffersPerShaderStage) throw new Error(`WGSL kernel "${p.name}" binds ${inputs.length + 1} storage buffers; this adapter allows ${limits.maxStorageBuffersPerShaderStage}`);
  inputs.forEach((t, i) => requireWgslBuffer(`size of input "${p.inputs[i]}" of WGSL kernel "${p.name}"`, t.size));
  requireWgslBuffer(`output size of WGSL kernel "${p.name}"`, p.outputShape.reduce((a, b) => a * b, 1));
  const fields = (p.uniforms ?? []).map((u) => u.split(":") as [string, "i32" | "f32"]);
  if (values.length !== fields.length) throw new Error(`WGSL kernel "${p.name}" takes ${fields.length} uniforms, got ${values.length}`);
  const wg = p.workgroupSize ?? 64;
  // tfjs folds a dispatch over maxComputeWorkgroupsPerDimension into 2-D or 3-D (reshapeDispatch);
  // our shaders index threads with an i32.
  const groups = Math.ceil(p.threads / wg);
  const maxThreads = Math.min(2 ** 31 - 1, wg * limits.maxComputeWorkgroupsPerDimension ** 3);
  if (p.threads > maxThreads) throw new ParameterError(`threads of WGSL kernel "${p.name}"`, `at most ${maxThreads}`, p.threads);
  const program = {
    variableNames: p.inputs,
    outputShape: p.outputShape,
    shaderKey: `w4s4_${p.name}_${wg}`,
    dispatchLayout: { x: p.outputShape.map((_, i) => i) },
    dispatch: [groups, 1, 1] as [number, number, number],
    workgroupSize: [wg, 1, 1] as [number, number, number],
    uniforms: ["threads : i32,", ...fields.map(([n, t]) => `${n} : ${t},`)].join(" "),
    getUserCode: () => p.code,
  };
  const uniforms: UniformValue[] = [{ type: "int32", data: [p.threads] }, ...fields.map(([, t], i) => ({ type: t === "i32" ? ("int32" as const) : ("float32" as const), data: [values[i]] }))];
  const info = backend.runWebGPUProgram(program, inputs, "float32", uniforms);
  return tf.engine().makeTensorFromTensorInfo(info);
}

const bits = (x: number) => {
  const f = new Float32Array([x]);
  return `bitcast<f32>(0x${new Uint32Array(f.buffer)[0].toString(16)}u)`;
};
/** x truncated to its 12 leading significant bits (so products of two such numbers are exact in f32). */
function top12(x: number): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer);
  u[0] &= 0xfffff000;
  return f[0];
}
const INV_2PI = 1 / (2 * Math.PI);
const C1 = top12(INV_2PI);
const C2 = Math.fround(INV_2PI - C1);

/** Complex product of (re, im) pairs. */
export const CMUL_WGSL = `
fn cmul(a : vec2<f32>, b : vec2<f32>) -> vec2<f32> {
  return vec2<f32>(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x);
}
`;

/**
 * Phase helpers shared by the kernels (cmul included) (toolchain.md §7 has what was measured):
 *   cisTurns(r) = (cos 2πr, sin 2πr) by quadrant reduction and Taylor polynomials on [−π/4, π/4]
 *     (error < 2e-9 there), so the result does not depend on the GPU's sin/cos, which WGSL only
 *     bounds to 2^-11 on [−π, π].
 *   cisLA(l, a) = exp(i·l·a) for an integer 0 ≤ l < 65536: the phase is reduced in turns from exact
 *     partial products (12-bit splits of a and of a/2π, 8-bit splits of l), so it stays accurate to
 *     ~1e-6 rad where a naive f32 `l * a` loses l·|a|·6e-8 rad (PyTorch's float32 S4D kernel does).
 */
export const PHASE_WGSL = `
const TWO_PI : f32 = 6.283185307179586;
const C1 : f32 = ${bits(C1)};
const C2 : f32 = ${bits(C2)};
fn split12(x : f32) -> vec2<f32> {
  let h = bitcast<f32>(bitcast<u32>(x) & 0xfffff000u);
  return vec2<f32>(h, x - h);
}
fn cisTurns(r : f32) -> vec2<f32> {
  let q = round(4.0 * r);
  let x = TWO_PI * (r - 0.25 * q);
  let x2 = x * x;
  let s = x * (1.0 + x2 * (-0.16666666666666666 + x2 * (0.008333333333333333 + x2 * (-0.0001984126984126984 + x2 * 2.7557319223985893e-6))));
  let c = 1.0 + x2 * (-0.5 + x2 * (0.041666666666666664 + x2 * (-0.001388888888888889 + x2 * (2.48015873015873e-5 + x2 * -2.755731922398589e-7))));
  let qi = i32(q) & 3;
  if (qi == 0) { return vec2<f32>(c, s); }
  if (qi == 1) { return vec2<f32>(-s, c); }
  if (qi == 2) { return vec2<f32>(-c, -s); }
  return vec2<f32>(s, -c);
}
fn cisLA(l : u32, a : f32) -> vec2<f32> {
  let A = split12(a);
  let th = A.x * C1;
  let tl = A.x * C2 + A.y * (C1 + C2);
  let T = split12(th);
  let l1 = f32(l & 0xff00u);
  let l2 = f32(l & 0xffu);
  var r = fract(l1 * T.x) + fract(l1 * T.y) + fract(l2 * T.x) + fract(l2 * T.y) + fract(f32(l) * tl);
  r = fract(r);
  if (r >= 0.5) { r = r - 1.0; }
  return cisTurns(r);
}
${CMUL_WGSL}`;

/** The largest l the phase reduction is exact for (cisLA's 8-bit split of l). */
export const MAX_WGSL_LENGTH = 65536;
