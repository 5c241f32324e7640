// Every citation of docs/ (walrus-math §5.2, toolchain.md §7, data §2.1, …) in the code, the
// notebooks, the scripts, the tests and the README resolves to a section heading of the cited file.
import { describe, expect, it } from "vitest";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const ROOT = resolve(__dirname, "..");
const DOCS = ["walrus-math", "toolchain", "data"] as const;

function files(d: string): string[] {
  return readdirSync(d).flatMap((f) => {
    const p = join(d, f);
    if (statSync(p).isDirectory()) return f === "fixtures" || f === "node_modules" ? [] : files(p);
    return /\.(ts|ipynb|sh|py|md)$/.test(f) ? [p] : [];
  });
}

/** Section ids of a doc: "5", "5.2" from "## 5. …" / "### 5.2 …"; "10(b)" from "### (b)" inside "## 10.". */
function sections(doc: string): Set<string> {
  const out = new Set<string>();
  let top = "";
  for (const line of readFileSync(join(ROOT, "docs", `${doc}.md`), "utf8").split("\n")) {
    const m = /^#{2,4}\s+(\d+(?:\.\d+)*)\.?\s/.exec(line);
    if (m) {
      out.add(m[1]);
      if (!m[1].includes(".")) top = m[1];
      continue;
    }
    const sub = /^#{3,4}\s+\(([a-z])\)/.exec(line);
    if (sub && top) out.add(`${top}(${sub[1]})`);
  }
  return out;
}

/** Every cited (doc, section) in a text, including chains like "walrus-math §4.2, §4.4" and "§8.1–§8.2". */
function citations(text: string): { doc: string; section: string }[] {
  const out: { doc: string; section: string }[] = [];
  const re = new RegExp(`\\b(${DOCS.join("|")})(?:\\.md)?\\s*((?:§\\s?\\d+(?:\\.\\d+)*(?:\\([a-z]\\))?(?:\\s*(?:,|–|-|and|or)\\s*)?)+)`, "g");
  for (const m of text.matchAll(re)) {
    for (const s of m[2].matchAll(/§\s?(\d+(?:\.\d+)*(?:\([a-z]\))?)/g)) out.push({ doc: m[1], section: s[1] });
  }
  return out;
}

describe("docs/ citations", () => {
  it("the cited files are in docs/", () => {
    for (const d of DOCS) expect(existsSync(join(ROOT, "docs", `${d}.md`)), d).toBe(true);
  });

  it("the citation reader finds chains and sub-sections (so the next test can fail)", () => {
    expect(citations("see walrus-math §4.2, §4.4 and toolchain.md §7; walrus-math §10(b)")).toEqual([
      { doc: "walrus-math", section: "4.2" }, { doc: "walrus-math", section: "4.4" }, { doc: "toolchain", section: "7" }, { doc: "walrus-math", section: "10(b)" },
    ]);
    expect(sections("walrus-math").has("5.2")).toBe(true);
    expect(sections("walrus-math").has("10(b)")).toBe(true);
    expect(sections("walrus-math").has("12")).toBe(false);
  });

  it("every citation in src/, notebooks/, scripts/, bench/, test/ and the README resolves", () => {
    const secs = Object.fromEntries(DOCS.map((d) => [d, sections(d)]));
    const bad: string[] = [];
    let n = 0;
    const scanned = ["src", "notebooks", "scripts", "bench", "test"].flatMap((d) => files(join(ROOT, d))).concat([join(ROOT, "README.md")]);
    for (const f of scanned) {
      for (const c of citations(readFileSync(f, "utf8"))) {
        n++;
        // §10(b) also resolves when only §10 exists as a heading with (b) below it; §N.M needs its own heading.
        if (!secs[c.doc].has(c.section)) bad.push(`${relative(ROOT, f)}: ${c.doc} §${c.section}`);
      }
    }
    expect(n).toBeGreaterThan(100);
    expect([...new Set(bad)]).toEqual([]);
  });
});
