// A disk cache for float64 results that are slow to compute and exact to store (e.g. the Gram spectrum
// of a WaLRUS frame). One file per key: a JSON header (format, the key itself, array lengths), the
// arrays, and a CRC32 of all of it. A file that is damaged, of another format or of another key is
// ignored and rewritten; files are written atomically, so concurrent writers at worst both compute.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { endianness } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { writeFileAtomic } from "./atomic.js";
import { projectRoot } from "../paths.js";

const MAGIC = "W4S4AC01";
/** Results larger than this are recomputed rather than stored. */
export const MAX_CACHED_BYTES = 64 * 1024 * 1024;

/** The cache folder: $W4S4_CACHE_DIR, else <project>/.cache/w4s4; undefined when W4S4_CACHE=off. */
export function cacheDir(): string | undefined {
  if ((process.env.W4S4_CACHE ?? "").toLowerCase() === "off") return undefined;
  const d = process.env.W4S4_CACHE_DIR;
  return d && d.trim() ? d : join(projectRoot(), ".cache", "w4s4");
}

const sourceHashes = new Map<string, string | null>();

/**
 * A hash of the source files (paths relative to the project root) and package versions a cached
 * result depends on, plus the byte order the arrays are stored in; null when a file is not there
 * (e.g. a bundled build), which turns the disk cache off for that result. Put it in the key: any
 * edit to that code, or a dependency upgrade, then misses the old entries instead of reusing them.
 */
export function codeVersion(files: readonly string[], packages: readonly string[] = []): string | null {
  const id = JSON.stringify([files, packages]);
  if (sourceHashes.has(id)) return sourceHashes.get(id)!;
  const h = createHash("sha256").update(endianness());
  let v: string | null;
  try {
    for (const f of files) h.update(f).update(readFileSync(join(projectRoot(), f)));
    for (const p of packages) h.update(p).update(String((JSON.parse(readFileSync(join(projectRoot(), "node_modules", p, "package.json"), "utf8")) as { version?: string }).version));
    v = h.digest("hex").slice(0, 16);
  } catch {
    v = null;
  }
  sourceHashes.set(id, v);
  return v;
}

function fileOf(dir: string, kind: string, keyJson: string): string {
  return join(dir, `${kind}-${createHash("sha256").update(keyJson).digest("hex").slice(0, 24)}.bin`);
}

function encode(keyJson: string, arrays: Record<string, Float64Array>): Buffer {
  const names = Object.keys(arrays).sort();
  const header = Buffer.from(JSON.stringify({ key: keyJson, arrays: names.map((n) => [n, arrays[n].length]) }), "utf8");
  const pad = (8 - ((MAGIC.length + 4 + header.length) % 8)) % 8;
  const parts: Buffer[] = [Buffer.from(MAGIC, "latin1"), Buffer.alloc(4), header, Buffer.alloc(pad, 0x20)];
  parts[1].writeUInt32LE(header.length + pad);
  for (const n of names) parts.push(Buffer.from(arrays[n].buffer, arrays[n].byteOffset, arrays[n].byteLength));
  const body = Buffer.concat(parts);
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE(crc32(body));
  return Buffer.concat([body, crc]);
}

function decode(buf: Buffer, keyJson: string): Record<string, Float64Array> | undefined {
  if (buf.length < MAGIC.length + 8 || buf.toString("latin1", 0, MAGIC.length) !== MAGIC) return undefined;
  if (crc32(buf.subarray(0, buf.length - 4)) !== buf.readUInt32LE(buf.length - 4)) return undefined;
  const hlen = buf.readUInt32LE(MAGIC.length);
  let h: { key: string; arrays: [string, number][] };
  try {
    h = JSON.parse(buf.toString("utf8", MAGIC.length + 4, MAGIC.length + 4 + hlen));
  } catch {
    return undefined;
  }
  if (h.key !== keyJson) return undefined;
  let off = MAGIC.length + 4 + hlen;
  const out: Record<string, Float64Array> = {};
  for (const [name, len] of h.arrays) {
    if (off + 8 * len > buf.length - 4) return undefined;
    out[name] = new Float64Array(buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + off + 8 * len));
    off += 8 * len;
  }
  return off === buf.length - 4 ? out : undefined;
}

/**
 * `compute()`'s arrays, from the disk cache when a valid entry for (kind, key) exists, else computed
 * and stored. `key` names the inputs; `code` (from codeVersion) the code and packages — null skips
 * the disk cache.
 */
export function cachedArrays(kind: string, key: unknown, compute: () => Record<string, Float64Array>, code?: string | null): Record<string, Float64Array> {
  const dir = cacheDir();
  if (!dir || code === null) return compute();
  if (code !== undefined) key = { key, code };
  const keyJson = JSON.stringify(key);
  const file = fileOf(dir, kind, keyJson);
  try {
    const hit = decode(readFileSync(file), keyJson);
    if (hit) return hit;
  } catch {
    // missing or unreadable: compute and (over)write
  }
  const arrays = compute();
  const bytes = Object.values(arrays).reduce((s, a) => s + a.byteLength, 0);
  if (bytes <= MAX_CACHED_BYTES) {
    try {
      writeFileAtomic(file, encode(keyJson, arrays));
    } catch {
      // a read-only or full disk only costs the next run the computation
    }
  }
  return arrays;
}
