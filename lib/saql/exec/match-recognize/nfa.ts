// A PATTERN as a nondeterministic automaton whose choices are ordered by preference, the way
// row pattern matching ranks matches: a quantifier prefers one more repetition (greedy), an
// alternation prefers its left option. The matcher walks the automaton's threads in that order.
import type { RowPattern } from "../../ast";

/** The variable index of the `.` pattern name: any event matches it. */
export const ANY_VARIABLE = -1;

export type NfaState =
  /** Takes one event that satisfies the variable's DEFINE, then goes to `next`. */
  | { kind: "consume"; variable: number; next: number }
  /** Goes on to each of `next` without taking an event, in order of preference. */
  | { kind: "split"; next: number[] }
  | { kind: "accept" };

export interface Nfa {
  states: NfaState[];
  start: number;
  /** Per state: what it reaches without taking an event (see `closure`), computed once. */
  closures: Closure[];
}

/**
 * The consuming states reachable from a state without taking an event, in order of
 * preference, up to the first that accepts: `accepts` tells whether the pattern can end there
 * (the states after that point are less preferred than ending, so a try never needs them).
 */
export interface Closure {
  consumes: number[];
  accepts: boolean;
}

/** `variableOf` maps a pattern variable's name to its index (DEFINE order). */
export function compilePattern(tree: RowPattern, variableOf: (name: string) => number): Nfa {
  const states: NfaState[] = [{ kind: "accept" }];
  const add = (s: NfaState) => states.push(s) - 1;
  // Built back to front: `build(node, next)` returns the entry state of `node` followed by `next`.
  const build = (node: RowPattern, next: number): number => {
    switch (node.kind) {
      case "PatternVariable":
        return add({ kind: "consume", variable: variableOf(node.name.name), next });
      case "PatternAny":
        return add({ kind: "consume", variable: ANY_VARIABLE, next });
      case "PatternSequence": {
        let entry = next;
        for (let i = node.items.length - 1; i >= 0; i--) entry = build(node.items[i]!, entry);
        return entry;
      }
      case "PatternAlternation":
        return add({ kind: "split", next: node.options.map((o) => build(o, next)) });
      case "PatternQuantified": {
        let entry = next;
        if (node.max === undefined) {
          // body* : a loop state that prefers another round of the body.
          const loop = add({ kind: "split", next: [] });
          (states[loop] as { next: number[] }).next = [build(node.body, loop), next];
          entry = loop;
        } else {
          // Up to (max − min) optional rounds, each only after the previous one.
          for (let i = 0; i < node.max - node.min; i++) entry = add({ kind: "split", next: [build(node.body, entry), next] });
        }
        for (let i = 0; i < node.min; i++) entry = build(node.body, entry);
        return entry;
      }
    }
  };
  const start = build(tree, 0);
  return { states, start, closures: states.map((_, i) => closure(states, i)) };
}

function closure(states: NfaState[], from: number): Closure {
  const consumes: number[] = [];
  const visited = new Set<number>();
  const visit = (i: number): boolean => {
    if (visited.has(i)) return false;
    visited.add(i);
    const s = states[i]!;
    if (s.kind === "accept") return true;
    if (s.kind === "split") return s.next.some(visit);
    consumes.push(i);
    return false;
  };
  const accepts = visit(from);
  return { consumes, accepts };
}

/** True when the pattern can match without taking any event (e.g. `A*`, `A? B*`). */
export function matchesEmpty(nfa: Nfa): boolean {
  return nfa.closures[nfa.start]!.accepts;
}
