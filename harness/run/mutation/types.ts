// What a mutation run works on: a baseline (the provider with no defect) and mutants (the same
// provider with one deliberate defect each), both described as "how to get a target and which
// suites to run against it".

/** How a run gets its target. */
export type MutantTarget =
  /** The embedded reference provider, started in the worker with these fault switches on. */
  | { kind: 'embedded'; faults: string[] }
  /**
   * A target profile (the vendor's provider). With `start`, a shell command that starts the
   * provider (with the mutant's defect) is run first, in `cwd`; the run waits until the
   * profile's discovery answers, and the command's process group is stopped afterwards.
   */
  | { kind: 'profile'; profile: string; start?: string; cwd?: string; startTimeoutMs?: number };

export interface Mutant {
  name: string;
  description?: string;
  /** The specification clause the defect breaks. */
  clause?: string;
  /** Check ids that must report the defect: FAIL, or WARN for a SHOULD. */
  expects: string[];
  /** `--only` items for its run: by default the areas of `expects`. */
  only: string[];
  target: MutantTarget;
}

export interface MutationPlan {
  /** Where the mutants come from: "reference-provider" or the mutants file. */
  source: string;
  baseline: { target: MutantTarget };
  mutants: Mutant[];
  /** Concurrency the source asks for when --jobs is not given (a mutants file: 1). */
  defaultJobs?: number;
}
