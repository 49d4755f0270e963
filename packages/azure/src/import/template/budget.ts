/**
 * Budgets of template expansion. Azure itself caps what a pipeline expands to ("Imposed limits" in
 * https://learn.microsoft.com/azure/devops/pipelines/process/templates: 100 YAML files, 20 levels of
 * template nesting, 10 MB of memory while parsing); without budgets a few hundred bytes of nested
 * `${{ each }}` expand into millions of values. Each budget is far above any real pipeline
 * and is counted per file (the main file and every template it reads); crossing one stops the
 * expansion with one positioned error, PG-ADO-IMPORT-TEMPLATE-BUDGET.
 */
import { isObject } from "@pipeglot/core";
import type { Pos } from "./expand.js";

export const BUDGETS = {
  /**
   * Values inserted by directives (each `${{ each }}` iteration, each taken `${{ if }}`/`elseif`/
   * `else` and `${{ insert }}`) plus templates included, in total.
   */
  items: 100_000,
  /** `${{ }}` directives nested inside each other, counted through templates. */
  depth: 100,
  /**
   * Values produced (mappings, lists, strings, numbers, booleans, nulls), copies included: what
   * bounds the time and memory of expansion when the values are small.
   */
  values: 1_000_000,
  /**
   * Characters of the strings and keys produced: expression results, strings built by expression
   * functions, copies of parameter values and of YAML aliases. 16 MiB, the input limit
   * (PG-INPUT-TOO-LARGE).
   */
  output: 16 * 1024 * 1024,
} as const;

type BudgetName = keyof typeof BUDGETS;

const WHAT: Record<BudgetName, string> = {
  items: "values inserted by ${{ }} directives and templates",
  depth: "levels of ${{ }} directives nested inside each other",
  values: "values produced",
  output: "characters of expanded strings and keys",
};

/** Thrown inside the expander when a budget is crossed; expandTemplates turns it into one diagnostic. */
export class BudgetError extends Error {
  constructor(
    readonly budget: BudgetName,
    readonly at: Pos | undefined,
  ) {
    super(`template expansion stopped: more than ${BUDGETS[budget]} ${WHAT[budget]} (budget "${budget}": ${BUDGETS[budget]} per file)`);
  }
}

/** The running counts of one file's expansion. */
export class Budget {
  private items = 0;
  private values = 0;
  private output = 0;
  private depth = 0;
  /** The innermost directive or template being expanded: where a crossed budget is reported. */
  private site: Pos | undefined;

  /** One value inserted by the directive or template at `at`. */
  item(at: Pos | undefined): void {
    if (++this.items > BUDGETS.items) throw new BudgetError("items", at ?? this.site);
  }

  /**
   * `chars` characters and `values` values produced, reported at the innermost directive or
   * template, else at `at`.
   */
  charge(chars: number, at?: Pos, values = 0): void {
    this.values += values;
    this.output += chars;
    if (this.values > BUDGETS.values) throw new BudgetError("values", this.site ?? at);
    if (this.output > BUDGETS.output) throw new BudgetError("output", this.site ?? at);
  }

  /** Charge a value about to be copied, value by value; stops walking once a budget is crossed. */
  measure(v: unknown, at?: Pos): void {
    const stack: unknown[] = [v];
    while (stack.length) {
      const x = stack.pop();
      if (typeof x === "string") this.charge(x.length, at, 1);
      else if (Array.isArray(x)) {
        this.charge(0, at, 1);
        for (const e of x) stack.push(e);
      } else if (isObject(x)) {
        this.charge(0, at, 1);
        for (const [k, e] of Object.entries(x)) {
          this.charge(k.length, at);
          stack.push(e);
        }
      } else this.charge(0, at, 1);
    }
  }

  /** Run `fn` as the expansion of the template referenced at `at` (the site of what it charges). */
  within<T>(at: Pos | undefined, fn: () => T): T {
    const outer = this.site;
    this.site = at ?? outer;
    try {
      return fn();
    } finally {
      this.site = outer;
    }
  }

  /** Run `fn` as the body of the directive at `at`, one level deeper. */
  nest<T>(at: Pos | undefined, fn: () => T): T {
    if (this.depth >= BUDGETS.depth) throw new BudgetError("depth", at ?? this.site);
    this.depth++;
    try {
      return this.within(at, fn);
    } finally {
      this.depth--;
    }
  }
}
