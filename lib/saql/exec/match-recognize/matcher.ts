// One try to match the pattern from one starting event (AFTER MATCH SKIP TO NEXT ROW: a try
// starts at every event, and tries overlap). The try follows every way the events so far can
// be mapped to pattern variables (threads, in order of preference) and ends at the first event
// that completes the pattern: the match is reported as soon as it is found, with the most
// preferred mapping that completes there. DEFINE conditions see the mapping so far (Last(A.x),
// Max(B.y)), so threads with different mappings are kept apart; threads with the same state and
// the same mapping are one.
import { ANY_VARIABLE, type Nfa } from "./nfa";

/** The events of a (partial) match, newest first, each with the variable it was mapped to. */
export interface PathNode<E> {
  prev: PathNode<E> | null;
  event: E;
  variable: number;
  length: number;
}

/** Whether `event` may be mapped to `variable` after the mapping `path`. */
export type VariableTest<E> = (variable: number, path: PathNode<E> | null, event: E) => boolean;

interface Thread<E> {
  state: number;
  path: PathNode<E> | null;
}

/** Ways one try may keep open at once; past it the pattern is too ambiguous to follow exactly. */
export const MAX_THREADS = 20_000;

/** Thrown by a try past MAX_THREADS: a problem of the query, not of one event. */
export class PatternTooAmbiguous extends Error {}

export class MatchAttempt<E> {
  private threads: Thread<E>[] = [];

  constructor(
    private readonly nfa: Nfa,
    /** Event time of the first event, for LIMIT DURATION. */
    readonly startTs: number,
  ) {
    // A pattern that matches no events is refused before any try starts, so no accept here.
    this.closure(nfa.start, null, this.threads, new Set(), new Map());
  }

  get alive(): boolean {
    return this.threads.length > 0;
  }

  /** Feeds the next event; returns the match when this event completes the pattern. */
  step(event: E, test: VariableTest<E>): PathNode<E> | undefined {
    const next: Thread<E>[] = [];
    const seen = new Map<PathNode<E> | null, Set<number>>();
    const extended = new Map<PathNode<E> | null, Map<number, PathNode<E> | null>>();
    for (const thread of this.threads) {
      const state = this.nfa.states[thread.state]!;
      if (state.kind !== "consume") continue;
      let byVariable = extended.get(thread.path);
      if (!byVariable) extended.set(thread.path, (byVariable = new Map()));
      let node = byVariable.get(state.variable);
      if (node === undefined) {
        node = state.variable === ANY_VARIABLE || test(state.variable, thread.path, event) ? { prev: thread.path, event, variable: state.variable, length: (thread.path?.length ?? 0) + 1 } : null;
        byVariable.set(state.variable, node);
      }
      if (!node) continue;
      if (this.closure(state.next, node, next, new Set(), seen)) {
        this.threads = [];
        return node;
      }
      if (next.length > MAX_THREADS) {
        throw new PatternTooAmbiguous(
          `MATCH_RECOGNIZE: the pattern can map the events to its variables in more than ${MAX_THREADS} ways at once; make the DEFINE conditions exclude each other or shorten LIMIT DURATION`,
        );
      }
    }
    this.threads = next;
    return undefined;
  }

  /** Follows the non-consuming states from `index` in order of preference; true when it reaches accept. */
  private closure(index: number, path: PathNode<E> | null, out: Thread<E>[], visited: Set<number>, seen: Map<PathNode<E> | null, Set<number>>): boolean {
    if (visited.has(index)) return false;
    visited.add(index);
    const state = this.nfa.states[index]!;
    if (state.kind === "accept") return true;
    if (state.kind === "split") {
      for (const n of state.next) if (this.closure(n, path, out, visited, seen)) return true;
      return false;
    }
    let states = seen.get(path);
    if (!states) seen.set(path, (states = new Set()));
    if (!states.has(index)) {
      states.add(index);
      out.push({ state: index, path });
    }
    return false;
  }
}

/** The path's nodes oldest first. */
export function pathEvents<E>(path: PathNode<E> | null): PathNode<E>[] {
  const out: PathNode<E>[] = new Array(path?.length ?? 0);
  for (let n = path, i = out.length - 1; n; n = n.prev, i--) out[i] = n;
  return out;
}
