// Text widths for vega's layout, from the advance widths of the font the charts are drawn in (DejaVu
// Sans, as resvg renders the PNG). Without a canvas vega guesses 0.8 em per character, about 40 %
// too wide for DejaVu Sans: titles then reserve empty space (gaps between side-by-side panels) and
// labels are cut with "…" that would have fitted. The font's own tables (cmap format 4, hmtx) give
// exact advances; kerning is left out (DejaVu's pairs move a line by well under 1 %).
import { existsSync, readFileSync } from "node:fs";

const FONT_FILES = {
  regular: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
  bold: "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
};

/** Advance width (in em) of each BMP code point of one font; NaN where the font has no glyph. */
export interface FontAdvances {
  advance(codePoint: number): number;
}

/** Parses the cmap (platform 3/1 or 0/x, format 4) and hmtx tables of a TrueType file. */
export function parseAdvances(buf: Buffer): FontAdvances {
  const tables = new Map<string, number>();
  const n = buf.readUInt16BE(4);
  for (let i = 0; i < n; i++) tables.set(buf.toString("latin1", 12 + 16 * i, 16 + 16 * i), buf.readUInt32BE(20 + 16 * i));
  const need = (t: string) => {
    const o = tables.get(t);
    if (o === undefined) throw new Error(`font has no ${t} table`);
    return o;
  };
  const unitsPerEm = buf.readUInt16BE(need("head") + 18);
  const nMetrics = buf.readUInt16BE(need("hhea") + 34);
  const hmtx = need("hmtx");
  const glyphAdvance = (g: number) => buf.readUInt16BE(hmtx + 4 * Math.min(g, nMetrics - 1)) / unitsPerEm;

  const cmap = need("cmap");
  let sub = -1;
  for (let i = 0, m = buf.readUInt16BE(cmap + 2); i < m; i++) {
    const rec = cmap + 4 + 8 * i;
    const platform = buf.readUInt16BE(rec);
    const encoding = buf.readUInt16BE(rec + 2);
    const off = cmap + buf.readUInt32BE(rec + 4);
    if (buf.readUInt16BE(off) === 4 && ((platform === 3 && encoding === 1) || platform === 0)) sub = off;
  }
  if (sub < 0) throw new Error("font has no format-4 Unicode cmap");
  const segs = buf.readUInt16BE(sub + 6) / 2;
  const endAt = sub + 14;
  const startAt = endAt + 2 * segs + 2;
  const deltaAt = startAt + 2 * segs;
  const rangeAt = deltaAt + 2 * segs;
  const glyphOf = (c: number): number => {
    for (let i = 0; i < segs; i++) {
      if (c > buf.readUInt16BE(endAt + 2 * i)) continue;
      const start = buf.readUInt16BE(startAt + 2 * i);
      if (c < start) return 0;
      const delta = buf.readUInt16BE(deltaAt + 2 * i);
      const range = buf.readUInt16BE(rangeAt + 2 * i);
      if (range === 0) return (c + delta) & 0xffff;
      const g = buf.readUInt16BE(rangeAt + 2 * i + range + 2 * (c - start));
      return g === 0 ? 0 : (g + delta) & 0xffff;
    }
    return 0;
  };
  const cache = new Map<number, number>();
  return {
    advance(c) {
      let a = cache.get(c);
      if (a === undefined) {
        const g = c <= 0xffff ? glyphOf(c) : 0;
        a = g === 0 ? NaN : glyphAdvance(g);
        cache.set(c, a);
      }
      return a;
    },
  };
}

let fonts: { regular: FontAdvances; bold: FontAdvances } | null | undefined;

/** DejaVu Sans regular and bold, or null where the fonts are not installed (vega's estimate is kept). */
export function dejaVuAdvances(): { regular: FontAdvances; bold: FontAdvances } | null {
  if (fonts === undefined) {
    try {
      fonts = existsSync(FONT_FILES.regular) && existsSync(FONT_FILES.bold)
        ? { regular: parseAdvances(readFileSync(FONT_FILES.regular)), bold: parseAdvances(readFileSync(FONT_FILES.bold)) }
        : null;
    } catch {
      fonts = null;
    }
  }
  return fonts;
}

/** Width in px of `text` at `fontSize` px; characters the font lacks count as 0.6 em. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  const f = dejaVuAdvances();
  if (!f) return 0.8 * text.length * fontSize;
  const font = bold ? f.bold : f.regular;
  let em = 0;
  for (const ch of text) {
    const a = font.advance(ch.codePointAt(0)!);
    em += Number.isNaN(a) ? 0.6 : a;
  }
  return em * fontSize;
}

/** vega's item → bold? (fontWeight "bold", "bolder" or a number ≥ 600). */
export function isBold(weight: unknown): boolean {
  if (typeof weight === "number") return weight >= 600;
  return weight === "bold" || weight === "bolder" || (typeof weight === "string" && Number(weight) >= 600);
}
