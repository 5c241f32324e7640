// NumPy .npy writer (format version 1.0), so `w4s4 init --npy` output loads with numpy.load and
// torch.from_numpy without conversion. Little-endian float64 ('<f8') and complex128 ('<c16').
import { writeFileAtomic } from "../io/atomic.js";

export type NpyDtype = "<f8" | "<c16";

/** Bytes of a .npy file holding `data` (row-major; complex data interleaved re, im) with `shape`. */
export function npyBytes(data: Float64Array, shape: number[], dtype: NpyDtype = "<f8"): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1) * (dtype === "<c16" ? 2 : 1);
  if (count !== data.length) throw new Error(`npyBytes: shape ${JSON.stringify(shape)} (${dtype}) needs ${count} values, got ${data.length}`);
  const shapeStr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  let header = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  // Magic (6) + version (2) + header length (2) + header, padded with spaces, ending in \n, to a
  // multiple of 64 bytes.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, " ") + "\n";
  const out = new Uint8Array(total + data.length * 8);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0); // \x93NUMPY v1.0
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const dv = new DataView(out.buffer, total);
  for (let i = 0; i < data.length; i++) dv.setFloat64(i * 8, data[i], true);
  return out;
}

export function writeNpy(path: string, data: Float64Array, shape: number[], dtype: NpyDtype = "<f8"): void {
  writeFileAtomic(path, npyBytes(data, shape, dtype));
}

/** Parse a .npy v1.0 buffer (for tests and round trips). */
export function readNpy(buf: Uint8Array): { dtype: string; shape: number[]; data: Float64Array } {
  if (buf[0] !== 0x93 || String.fromCharCode(...buf.subarray(1, 6)) !== "NUMPY") throw new Error("not a .npy file");
  const hlen = new DataView(buf.buffer, buf.byteOffset).getUint16(8, true);
  const header = String.fromCharCode(...buf.subarray(10, 10 + hlen));
  const dtype = /'descr': '([^']+)'/.exec(header)![1];
  const shape = /'shape': \(([^)]*)\)/.exec(header)![1].split(",").map((s) => s.trim()).filter(Boolean).map(Number);
  const n = (buf.length - 10 - hlen) / 8;
  const dv = new DataView(buf.buffer, buf.byteOffset + 10 + hlen);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = dv.getFloat64(i * 8, true);
  return { dtype, shape, data };
}
