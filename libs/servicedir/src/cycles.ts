// Strongly connected components (Tarjan) of the service graph, and the shortest cycle through a member,
// so a cycle can be reported as `a -> b -> c -> a`.

/** Components in dependencies-first order (Tarjan emits a component after everything it reaches). */
export function stronglyConnected(nodes: Iterable<string>, edges: (name: string) => readonly string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges(v)) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      out.push(component.sort());
    }
  };
  for (const v of nodes) if (!index.has(v)) visit(v);
  return out;
}

/** Is this component a cycle (more than one member, or one member naming itself)? */
export function isCycle(component: readonly string[], edges: (name: string) => readonly string[]): boolean {
  return component.length > 1 || edges(component[0]!).includes(component[0]!);
}

/** The shortest cycle from `start` back to itself inside `members`: `[start, …, start]`. */
export function shortestCycle(start: string, members: ReadonlySet<string>, edges: (name: string) => readonly string[]): string[] {
  const parent = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i]!;
    for (const w of edges(v)) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u: string | undefined = v; u !== undefined && u !== start; u = parent.get(u)) path.unshift(u);
        path.unshift(start);
        return path;
      }
      if (!parent.has(w) && w !== start) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}
