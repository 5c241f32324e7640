// Checkpoints: one binary file per checkpoint, written atomically (temp file + fsync + rename), so a
// run killed at any moment leaves either the previous checkpoint or the new one, never half of one.
// Layout: "W4S4CKP1" | u32 LE header bytes | header JSON | zero pad to 4 | float32 data (LE).
// The header holds the metadata (epoch, step, history, configs) and a table of tensors.
import { existsSync, readFileSync } from "node:fs";
import { writeFileAtomic } from "../io/atomic.js";

const MAGIC = "W4S4CKP1";

export interface StoredTensor {
  shape: number[];
  data: Float32Array;
}

export interface Checkpoint<M = unknown> {
  meta: M;
  tensors: Record<string, StoredTensor>;
}

export function saveCheckpoint<M>(path: string, ck: Checkpoint<M>): void {
  const table: { name: string; shape: number[]; offset: number; length: number }[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(ck.tensors)) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (size !== t.data.length) throw new Error(`checkpoint tensor ${name}: shape ${JSON.stringify(t.shape)} does not match ${t.data.length} values`);
    table.push({ name, shape: t.shape, offset, length: t.data.length });
    offset += t.data.length;
  }
  const header = Buffer.from(JSON.stringify({ meta: ck.meta, tensors: table }), "utf8");
  const pre = 8 + 4 + header.length;
  const pad = (4 - (pre % 4)) % 4;
  const buf = Buffer.alloc(pre + pad + 4 * offset);
  buf.write(MAGIC, 0, "ascii");
  buf.writeUInt32LE(header.length, 8);
  header.copy(buf, 12);
  const body = new Float32Array(buf.buffer, buf.byteOffset + pre + pad, offset);
  for (const e of table) body.set(ck.tensors[e.name].data, e.offset);
  writeFileAtomic(path, buf);
}

export function loadCheckpoint<M>(path: string): Checkpoint<M> {
  if (!existsSync(path)) throw new Error(`no checkpoint at ${path}`);
  const buf = readFileSync(path);
  if (buf.length < 12 || buf.toString("ascii", 0, 8) !== MAGIC) throw new Error(`${path} is not a W4S4 checkpoint (bad magic)`);
  const hl = buf.readUInt32LE(8);
  const pre = 12 + hl;
  const pad = (4 - (pre % 4)) % 4;
  const h = JSON.parse(buf.toString("utf8", 12, pre)) as { meta: M; tensors: { name: string; shape: number[]; offset: number; length: number }[] };
  const total = h.tensors.reduce((s, e) => s + e.length, 0);
  if (buf.length < pre + pad + 4 * total) throw new Error(`${path} is truncated (${buf.length} bytes, expected ${pre + pad + 4 * total})`);
  // Copy out so the result does not pin the file buffer's alignment.
  const body = new Float32Array(buf.buffer.slice(buf.byteOffset + pre + pad, buf.byteOffset + pre + pad + 4 * total));
  const tensors: Record<string, StoredTensor> = {};
  for (const e of h.tensors) tensors[e.name] = { shape: e.shape, data: body.slice(e.offset, e.offset + e.length) };
  return { meta: h.meta, tensors };
}
