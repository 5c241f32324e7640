// Checkpoints: one binary file per checkpoint, written atomically (temp file + fsync + rename), so a
// run killed at any moment leaves either the previous checkpoint or the new one, never half of one.
// Every load verifies a CRC32 of the header and of each tensor's bytes, so a damaged file is refused
// by name instead of resuming (or evaluating) on garbage.
// Layout (format 2): "W4S4CKP2" | u32 LE header bytes | u32 LE CRC32 of the header | header JSON |
// zero pad to 4 | float32 data (LE). The header holds the metadata and the tensor table
// {name, shape, offset, length, crc32}.
import { existsSync, readFileSync } from "node:fs";
import { crc32 } from "node:zlib";
import { writeFileAtomic } from "../io/atomic.js";

export const CHECKPOINT_FORMAT = 2;
const MAGIC = "W4S4CKP2";
const PRE = 16;

export interface StoredTensor {
  shape: number[];
  data: Float32Array;
}

export interface Checkpoint<M = unknown> {
  meta: M;
  tensors: Record<string, StoredTensor>;
}

interface TableEntry {
  name: string;
  shape: number[];
  offset: number;
  length: number;
  crc32: number;
}

/** A checkpoint file that is missing, damaged or of another format; the message names the file. */
export class CheckpointError extends Error {
  constructor(readonly path: string, what: string) {
    super(`checkpoint ${path}: ${what}`);
    this.name = "CheckpointError";
  }
}

function bytesOf(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

export function checkpointBytes<M>(ck: Checkpoint<M>): Buffer {
  const table: TableEntry[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(ck.tensors)) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (size !== t.data.length) throw new Error(`checkpoint tensor ${name}: shape ${JSON.stringify(t.shape)} does not match ${t.data.length} values`);
    table.push({ name, shape: t.shape, offset, length: t.data.length, crc32: crc32(bytesOf(t.data)) });
    offset += t.data.length;
  }
  const header = Buffer.from(JSON.stringify({ format: CHECKPOINT_FORMAT, meta: ck.meta, tensors: table }), "utf8");
  const pre = PRE + header.length;
  const pad = (4 - (pre % 4)) % 4;
  const buf = Buffer.alloc(pre + pad + 4 * offset);
  buf.write(MAGIC, 0, "ascii");
  buf.writeUInt32LE(header.length, 8);
  buf.writeUInt32LE(crc32(header), 12);
  header.copy(buf, PRE);
  const body = new Float32Array(buf.buffer, buf.byteOffset + pre + pad, offset);
  for (const e of table) body.set(ck.tensors[e.name].data, e.offset);
  return buf;
}

export function saveCheckpoint<M>(path: string, ck: Checkpoint<M>): void {
  writeFileAtomic(path, checkpointBytes(ck));
}

export function loadCheckpoint<M>(path: string): Checkpoint<M> {
  if (!existsSync(path)) throw new CheckpointError(path, "no such file");
  return parseCheckpoint<M>(readFileSync(path), path);
}

export function parseCheckpoint<M>(buf: Buffer, path: string): Checkpoint<M> {
  const bad = (what: string) => new CheckpointError(path, what);
  if (buf.length < PRE) throw bad(`too short to be a checkpoint (${buf.length} bytes)`);
  const magic = buf.toString("latin1", 0, 8);
  if (magic === "W4S4CKP1") throw bad("format 1 (written before checksums existed); it cannot be verified: retrain, or load it with the version that wrote it");
  if (magic !== MAGIC) throw bad(`not a W4S4 checkpoint (magic ${JSON.stringify(magic)}, expected "${MAGIC}")`);
  const hl = buf.readUInt32LE(8);
  if (PRE + hl > buf.length) throw bad(`header length ${hl} runs past the end of the file (${buf.length} bytes): truncated or damaged`);
  const header = buf.subarray(PRE, PRE + hl);
  if (crc32(header) !== buf.readUInt32LE(12)) throw bad("header checksum mismatch (the file is damaged)");
  let h: { format: number; meta: M; tensors: TableEntry[] };
  try {
    h = JSON.parse(header.toString("utf8"));
  } catch (e) {
    throw bad(`header is not valid JSON (${(e as Error).message})`);
  }
  if (h.format !== CHECKPOINT_FORMAT || !Array.isArray(h.tensors)) throw bad(`unsupported header (format ${JSON.stringify(h.format)}, expected ${CHECKPOINT_FORMAT})`);
  const pre = PRE + hl;
  const pad = (4 - (pre % 4)) % 4;
  const total = h.tensors.reduce((s, e) => s + e.length, 0);
  if (buf.length !== pre + pad + 4 * total) throw bad(`${buf.length} bytes, expected ${pre + pad + 4 * total}: truncated or damaged`);
  for (let i = pre; i < pre + pad; i++) if (buf[i] !== 0) throw bad("padding after the header is not zero (the file is damaged)");
  // Copy out so the result does not pin the file buffer's alignment.
  const body = new Float32Array(buf.buffer.slice(buf.byteOffset + pre + pad, buf.byteOffset + pre + pad + 4 * total));
  const tensors: Record<string, StoredTensor> = {};
  for (const e of h.tensors) {
    const data = body.slice(e.offset, e.offset + e.length);
    if (data.length !== e.length || e.shape.reduce((a, b) => a * b, 1) !== e.length) throw bad(`tensor ${e.name}: table entry does not fit the data`);
    if (crc32(bytesOf(data)) !== e.crc32) throw bad(`tensor ${e.name}: checksum mismatch (the file is damaged)`);
    tensors[e.name] = { shape: e.shape, data };
  }
  return { meta: h.meta, tensors };
}
