// The shape of one "paper value vs ours" row, shared by the tasks that compute it, the charts that
// show it and the report that collects it (declared here, below all of them).
export interface PaperResult {
  /** The paper's artefact, e.g. "Fig. 1", "Table 1 / s-CIFAR", "Table 2 / Text". */
  artefact: string;
  /** What is compared, e.g. "log10 MSE gap WaLRUS − HiPPO (AR(1), N=64)". */
  quantity: string;
  /** The paper's number (or text); null when the paper gives none. */
  paper: number | string | null;
  ours: number | string | null;
  /** The data we used (the substitute) and how it differs from the paper's. */
  data: string;
  /** One line: holds / partly / does not hold / not comparable, and why. */
  verdict: string;
  /** The verdict's class, which the report colours. Missing in results saved before it existed. */
  outcome: Outcome;
}

/** How a paper claim came out here. */
export type Outcome = "holds" | "partly" | "not reproduced" | "not comparable" | "not run";
