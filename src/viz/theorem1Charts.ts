// Notebook 01's charts and tables for Theorem 1 (walrus-math §5): eigenvalue counts, the split
// spectrum, cond₂(V) against N and the visibility of the unit modes, each beside the §5.2 reference.
import type { ChartSpec } from "./chart.js";
import type { Row } from "./table.js";
import { eigenPoints, lineChart, spectrumChart, type EigenPoint, type SpectrumChartOptions } from "./basicCharts.js";
import { UNIT_TOL_SCALED, type Theorem1Case, type Theorem1Report } from "../ssm/theorem1.js";
import { referenceVisibilityL2, THEOREM1_REFERENCE, theorem1Matches } from "../paper/theorem1.js";

const caseLabel = (c: Theorem1Case) => (c.naturalRank ? `${c.N} (natural rank r = ${c.report.rank})` : `${c.N}`);
const fmt = (x: number, d: number) => (Number.isFinite(x) ? x.toFixed(d) : String(x));
const sci = (x: number) => x.toExponential(1);
const withRef = (m: string, r: string | undefined) => (r === undefined ? m : `${m} (${r})`);

/**
 * Counts table, "measured (walrus-math §5.2 reference)" per column. `matches §5.2`: counts exact and
 * min|λ|, max|λ|, cond V reduced within THEOREM1_REFERENCE_RTOL; "—" where §5.2 has no row (natural rank,
 * other N). cond V full and the visibility are shown but not compared: they are eigensolver-dependent
 * (a hundreds-fold repeated eigenvalue) and at round-off level respectively.
 */
export function theorem1CountsRows(cases: readonly Theorem1Case[]): Row[] {
  return cases.map((c) => {
    const r = c.report;
    const ref = c.naturalRank ? undefined : THEOREM1_REFERENCE[c.N];
    const ok = theorem1Matches(c);
    return {
      N: caseLabel(c),
      "N_f": withRef(String(r.Nf), ref && String(ref.Nf)),
      "#λ=1": withRef(String(r.nUnit), ref && String(ref.nUnit)),
      "#nontrivial": withRef(String(r.nNontrivial), String(r.rank)),
      "min|λ| nontriv.": withRef(fmt(r.minAbsNontrivial, 3), ref && String(ref.minAbsNontrivial)),
      "max|λ|": withRef(fmt(r.maxAbs, 1), ref && String(ref.maxAbs)),
      "cond V reduced": withRef(fmt(r.condVReduced, 1), ref && String(ref.condVReduced)),
      "cond V full": withRef(sci(r.condVFull), ref && sci(ref.condVFull)),
      "unit-mode visibility (L²)": withRef(sci(r.maxUnitVisibility), ref && sci(referenceVisibilityL2(ref))),
      "matches §5.2": ok,
    };
  });
}

/** Stacked bars per case: the N_f − r unit eigenvalues (dropped) on top of the r nontrivial ones (kept). */
export function theorem1CountsChart(cases: readonly Theorem1Case[], o: { title?: string; width?: number; height?: number } = {}): ChartSpec {
  const rows = cases.flatMap((c) => [
    { case: caseLabel(c), order: 0, count: c.report.nNontrivial, kind: "nontrivial (kept by W4S4)" },
    { case: caseLabel(c), order: 1, count: c.report.nUnit, kind: "λ = 1 (invisible, dropped)" },
  ]);
  return {
    title: o.title ?? "Eigenvalues of the full A_pos: N_f = #nontrivial + #unit",
    data: { values: rows },
    mark: { type: "bar" },
    width: o.width ?? 320,
    height: o.height ?? 220,
    encoding: {
      x: { field: "case", type: "nominal", title: "N", sort: null, axis: { labelAngle: 0 } },
      y: { field: "count", type: "quantitative", title: "number of eigenvalues", stack: "zero" },
      color: { field: "kind", type: "nominal", title: null, legend: { labelLimit: 320 } },
      order: { field: "order", type: "quantitative" },
    },
  } as unknown as ChartSpec;
}

/**
 * The full spectrum of A_pos (SaFARi sign, walrus-math §5.2) split into the unit eigenvalues and the
 * nontrivial ones, with eig(M) of the reduced system overlaid. `tol` defaults to UNIT_TOL_SCALED, the
 * tolerance theorem1Check counts with (translated-measure reports would pass 1e-7 and trivial 0).
 */
export function theorem1SpectrumPoints(r: Theorem1Report, o: { tol?: number; trivial?: number } = {}): EigenPoint[] {
  const tol = o.tol ?? UNIT_TOL_SCALED;
  const trivial = o.trivial ?? 1;
  const unit = `λ = ${trivial} (${r.nUnit}×, full A_pos)`;
  const pts: EigenPoint[] = [];
  for (let i = 0; i < r.eigFull.re.length; i++) {
    const re = r.eigFull.re[i];
    const im = r.eigFull.im[i];
    pts.push({ re, im, kind: Math.hypot(re - trivial, im) < tol ? unit : "nontrivial (full A_pos)" });
  }
  return pts.concat(eigenPoints(r.eigReduced, "eig(M) (reduced, kept)"));
}

export function theorem1SpectrumChart(r: Theorem1Report, o: SpectrumChartOptions & { tol?: number; trivial?: number } = {}): ChartSpec {
  return spectrumChart(theorem1SpectrumPoints(r, o), { width: 440, height: 320, ...o });
}

export interface CondRow {
  N: number;
  condV: number;
  /** Series label, e.g. "WaLRUS (reduced M)" / "HiPPO-LegS". */
  init: string;
}

/** cond₂(V) of the eigenvector matrix against N, log–log. */
export function condVsNChart(rows: readonly CondRow[], o: { title?: string; width?: number; height?: number } = {}): ChartSpec {
  return lineChart(rows as unknown as Record<string, unknown>[], {
    x: "N",
    y: "condV",
    color: "init",
    logX: true,
    logY: true,
    points: true,
    xValues: [...new Set(rows.map((r) => r.N))],
    title: o.title ?? "cond₂(V) of the eigenvector matrix vs state size",
    xTitle: "N (log scale)",
    yTitle: "cond₂(V) (log scale)",
    width: o.width ?? 420,
    height: o.height ?? 260,
  });
}

const condFmt = (x: number) => (x < 1e3 ? x.toFixed(1) : x.toExponential(1));

/**
 * cond₂(V) rows pivoted by N, "measured (walrus-math §5.2)": `walrus` and `legs` name the two series of
 * `rows` (defaults "WaLRUS (reduced M)" and "HiPPO-LegS", the labels notebook 01 uses).
 */
export function condTableRows(rows: readonly CondRow[], o: { walrus?: string; legs?: string } = {}): Row[] {
  const wName = o.walrus ?? "WaLRUS (reduced M)";
  const lName = o.legs ?? "HiPPO-LegS";
  const Ns = [...new Set(rows.map((r) => r.N))].sort((a, b) => a - b);
  return Ns.map((N) => {
    const w = rows.find((r) => r.N === N && r.init === wName)?.condV ?? NaN;
    const l = rows.find((r) => r.N === N && r.init === lName)?.condV ?? NaN;
    const ref = THEOREM1_REFERENCE[N];
    return {
      N,
      [`${wName} cond V`]: withRef(condFmt(w), ref && condFmt(ref.condVReduced)),
      [`${lName} cond V`]: withRef(condFmt(l), ref && condFmt(ref.condVLegS)),
      "LegS / WaLRUS": condFmt(l / w),
    };
  });
}

/** Max L² norm of the dual reconstruction of a unit-mode eigenvector vs N, beside §5.2 (in the same units) and machine ε (log). */
export function unitVisibilityChart(cases: readonly Theorem1Case[], o: { title?: string } = {}): ChartSpec {
  const rows: Record<string, unknown>[] = [];
  for (const c of cases) {
    if (c.naturalRank) continue;
    rows.push({ N: c.N, v: Math.max(c.report.maxUnitVisibility, 1e-300), series: "measured" });
    const ref = THEOREM1_REFERENCE[c.N];
    if (ref) rows.push({ N: c.N, v: referenceVisibilityL2(ref), series: "walrus-math §5.2" });
    rows.push({ N: c.N, v: Number.EPSILON, series: "machine ε" });
  }
  return lineChart(rows, {
    x: "N",
    y: "v",
    color: "series",
    logX: true,
    logY: true,
    points: true,
    xValues: [...new Set(rows.map((r) => r.N as number))],
    title: o.title ?? "Visibility of the unit modes: L² norm of their reconstruction (Theorem 1: 0)",
    xTitle: "N (log scale)",
    yTitle: "max ‖Σ v_k φ̃_k‖ in L² (log scale)",
    width: 420,
    height: 220,
  });
}
