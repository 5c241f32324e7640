// The public API of the W4S4 workbench, stage by stage (DESIGN.md §1): frames → SSM constructions →
// diagonal SSMs → kernels / tasks → viz. Notebooks may import from here or from the modules directly.
export { ParameterError } from "./errors.js";
export { initBackend, backendInfo, backendLine, BACKENDS, type BackendName, type BackendInfo } from "./backend.js";
export { notebookSize, bySize, parseSize, SIZES, type Size } from "./notebookSize.js";
export { packageVersions } from "./versions.js";
export { writeFileAtomic } from "./io/atomic.js";

// linalg
export { eigGeneral, type ComplexEig } from "./linalg/eig.js";
export { cond2, cond2Complex } from "./linalg/cond.js";

// frames
export { legendreValues, legendreFrame } from "./frames/legendre.js";
export { daubechies, parseWavelet } from "./frames/daubechies.js";
export { dyadicTable, evalPhi, evalPsi } from "./frames/dyadic.js";
export { waveletFrame, evaluateFrameAt, type WaveletFrame, type WaveletFrameOptions } from "./frames/waveletFrame.js";
export { truncatedDual } from "./frames/dual.js";
export { quadrature, QUADRATURE_RULES, DEFAULT_QUADRATURE, type Quadrature, type QuadratureRule } from "./frames/quadrature.js";

// ssm
export type { CVec, DenseSSM, DiagonalSSM, DiscreteDenseSSM, DiscreteDiagonalSSM, Discretization } from "./ssm/types.js";
export { hippoLegS, hippoLegT, hippoFouT, legsNplr } from "./ssm/hippo.js";
export { s4dLin, s4dInv, s4dLegS, s4dReal } from "./ssm/s4dInit.js";
export { safari } from "./ssm/safari.js";
export { walrus, walrusDualReadout, walrusDefaultGrid, WALRUS_GRID_BY_N, type WalrusOptions, type WalrusSSM } from "./ssm/walrus.js";
export { theorem1Check, type Theorem1Report } from "./ssm/theorem1.js";
export { diagonalize, realBlockForm, allEigenvalues } from "./ssm/diagonal.js";
export { discretize, discretizeBilinear, discretizeZoh, discretizeDiagonal, expm } from "./ssm/discretize.js";
export { denseKernel, diagonalKernel, denseRecurrence, diagonalRecurrence, scaledRecurrence, causalConv, tossmBasis } from "./ssm/reference.js";
export { INIT_NAMES, INIT_SUMMARIES, denseInit, diagonalInit, readout, parseReadout, type InitName, type InitOptions } from "./ssm/registry.js";

// tasks
export { makeSignal, whiteNoise, ar1Noise, bandlimitedNoise } from "./tasks/signals.js";
export { mulberry32, normalStream } from "./random.js";
export { delayTaskMSE, dtGrid } from "./tasks/delay.js";
export { dtSweep, delaySweep } from "./tasks/delayStudies.js";
export { paperComparison, delayPaperResults } from "./paper/fig1.js";

// viz
export { chartToSvg, svgToPng, saveChart, type ChartSpec } from "./viz/chart.js";
export { toDataFrame, tableToHtml, tableToText, tableToCsv, saveTableCsv } from "./viz/table.js";
export { showChart, showTable, showMarkdown } from "./viz/display.js";
