// One try to match the pattern from one starting event (AFTER MATCH SKIP TO NEXT ROW: a try
// starts at every event, and tries overlap). The try follows every way the events so far can
// be mapped to pattern variables (threads, in order of preference) and ends at the first event
// that completes the pattern: the match is reported as soon as it is found, with the most
// preferred mapping that completes there. DEFINE conditions see the mapping so far (Last(A.x),
// Max(B.y)), so threads with different mappings are kept apart; threads with the same state and
// the same mapping are one.
import { ANY_VARIABLE, type Nfa, type NfaState } from "./nfa";

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
  private threads: Thread<E>[];

  constructor(
    private readonly nfa: Nfa,
    /** Event time of the first event, for LIMIT DURATION. */
    readonly startTs: number,
  ) {
    // A pattern that matches no events is refused before any try starts, so no accept here.
    this.threads = nfa.closures[nfa.start]!.consumes.map((state) => ({ state, path: null }));
  }

  get alive(): boolean {
    return this.threads.length > 0;
  }

  /** Feeds the next event; returns the match when this event completes the pattern. */
  step(event: E, test: VariableTest<E>): PathNode<E> | undefined {
    const threads = this.threads;
    const next: Thread<E>[] = [];
    // With several threads, the same mapping may be reached twice: keep the first (preferred).
    const many = threads.length > 1;
    const seen = many ? new Map<PathNode<E>, Set<number>>() : undefined;
    const extended = many ? new Map<PathNode<E> | null, Map<number, PathNode<E> | null>>() : undefined;
    for (const thread of threads) {
      const state = this.nfa.states[thread.state] as Extract<NfaState, { kind: "consume" }>;
      let byVariable = extended?.get(thread.path);
      if (extended && !byVariable) extended.set(thread.path, (byVariable = new Map()));
      let node = byVariable?.get(state.variable);
      if (node === undefined) {
        node = state.variable === ANY_VARIABLE || test(state.variable, thread.path, event) ? { prev: thread.path, event, variable: state.variable, length: (thread.path?.length ?? 0) + 1 } : null;
        byVariable?.set(state.variable, node);
      }
      if (!node) continue;
      const reach = this.nfa.closures[state.next]!;
      let states = seen?.get(node);
      if (seen && !states) seen.set(node, (states = new Set()));
      for (const s of reach.consumes) {
        if (states) {
          if (states.has(s)) continue;
          states.add(s);
        }
        next.push({ state: s, path: node });
      }
      if (reach.accepts) {
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
}

/** The path's nodes oldest first. */
export function pathEvents<E>(path: PathNode<E> | null): PathNode<E>[] {
  const out: PathNode<E>[] = new Array(path?.length ?? 0);
  for (let n = path, i = out.length - 1; n; n = n.prev, i--) out[i] = n;
  return out;
}
