// Spatial predicates for ST_WITHIN, ST_OVERLAPS and ST_INTERSECTS.
// Edges are straight lines in longitude/latitude. From compatibility level 1.2 ASA "computes
// Geometric projected geo coordinates" (stream-analytics-compatibility-level.md), which this
// follows; before 1.2 it used geography, where edges are geodesics and ring orientation decides
// the inside: that mode keeps the orientation rule but still draws straight edges, so a point
// within metres of a long edge can be classified differently from ASA there.
import { NotSupportedError } from "../../../core/errors";
import type { Geography, Position } from "./shapes";

const EPSILON = 1e-12;

function cross(o: Position, a: Position, b: Position): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

function onSegment(p: Position, a: Position, b: Position): boolean {
  return (
    Math.abs(cross(a, b, p)) <= EPSILON &&
    p[0] >= Math.min(a[0], b[0]) - EPSILON && p[0] <= Math.max(a[0], b[0]) + EPSILON &&
    p[1] >= Math.min(a[1], b[1]) - EPSILON && p[1] <= Math.max(a[1], b[1]) + EPSILON
  );
}

export function segmentsIntersect(a1: Position, a2: Position, b1: Position, b2: Position): boolean {
  const d1 = cross(b1, b2, a1), d2 = cross(b1, b2, a2), d3 = cross(a1, a2, b1), d4 = cross(a1, a2, b2);
  if (((d1 > EPSILON && d2 < -EPSILON) || (d1 < -EPSILON && d2 > EPSILON)) &&
      ((d3 > EPSILON && d4 < -EPSILON) || (d3 < -EPSILON && d4 > EPSILON))) return true;
  return onSegment(a1, b1, b2) || onSegment(a2, b1, b2) || onSegment(b1, a1, a2) || onSegment(b2, a1, a2);
}

function edges(ring: Position[]): [Position, Position][] {
  const out: [Position, Position][] = [];
  for (let i = 0; i < ring.length; i++) {
    const next = ring[(i + 1) % ring.length];
    if (next[0] !== ring[i][0] || next[1] !== ring[i][1]) out.push([ring[i], next]);
  }
  return out;
}

/** Even-odd ray casting against one ring; "inside" excludes the boundary. */
function insideRing(p: Position, ring: Position[]): boolean {
  let inside = false;
  for (const [a, b] of edges(ring)) {
    if ((a[1] > p[1]) !== (b[1] > p[1])) {
      const x = a[0] + ((p[1] - a[1]) / (b[1] - a[1])) * (b[0] - a[0]);
      if (p[0] < x) inside = !inside;
    }
  }
  return inside;
}

function onBoundary(p: Position, rings: Position[][]): boolean {
  return rings.some((ring) => edges(ring).some(([a, b]) => onSegment(p, a, b)));
}

/** Twice the signed area of a ring (shoelace): positive when the ring runs counter-clockwise. */
function signedArea(ring: Position[]): number {
  let sum = 0;
  for (const [a, b] of edges(ring)) sum += a[0] * b[1] - b[0] * a[1];
  return sum;
}

/** How polygons are read: projected geometry (compatibility level 1.2) or geography (before). */
export interface SpatialMode {
  /**
   * Geography: the interior lies on the left of the ring's direction, "a polygon with left-hand
   * ring orientation will generate a geography that encompass the entire globe minus the polygon
   * you declared" (CreatePolygon page). Geometry: a ring encloses its inside either way.
   */
  geography: boolean;
}

const GEOMETRY: SpatialMode = { geography: false };

/** Interior of a polygon (outer ring minus holes), boundary excluded. */
export function pointInPolygon(p: Position, rings: Position[][], mode: SpatialMode = GEOMETRY): boolean {
  if (onBoundary(p, rings)) return false;
  const insideOuter = insideRing(p, rings[0]);
  const complement = mode.geography && signedArea(rings[0]) < 0;
  if (insideOuter === complement) return false;
  return !rings.slice(1).some((hole) => insideRing(p, hole));
}

function pointInOrOnPolygon(p: Position, rings: Position[][], mode: SpatialMode = GEOMETRY): boolean {
  return onBoundary(p, rings) || pointInPolygon(p, rings, mode);
}

function polygonEdgesCross(a: Position[][], b: Position[][]): boolean {
  for (const ringA of a) for (const [a1, a2] of edges(ringA))
    for (const ringB of b) for (const [b1, b2] of edges(ringB)) if (segmentsIntersect(a1, a2, b1, b2)) return true;
  return false;
}

function midpoint(a: Position, b: Position): Position {
  return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
}

/** Every vertex and edge midpoint of `inner` lies in or on `outer`, and no edge of `outer` cuts through `inner`. */
function polygonWithinPolygon(inner: Position[][], outer: Position[][], mode: SpatialMode): boolean {
  const samples = inner[0].flatMap((p, i) => [p, midpoint(p, inner[0][(i + 1) % inner[0].length])]);
  if (!samples.every((p) => pointInOrOnPolygon(p, outer, mode))) return false;
  for (const [o1, o2] of edges(outer[0])) {
    if (pointInPolygon(midpoint(o1, o2), inner, mode)) return false;
  }
  return true;
}

/** ST_WITHIN: a point, line or polygon inside a polygon. */
export function within(inner: Geography, outer: Geography, mode: SpatialMode = GEOMETRY): boolean {
  if (outer.type !== "Polygon") return false;
  if (inner.type === "Point") return pointInPolygon(inner.point, outer.rings, mode);
  if (inner.type === "Polygon") return polygonWithinPolygon(inner.rings, outer.rings, mode);
  return inner.line.every((p) => pointInOrOnPolygon(p, outer.rings, mode)) && inner.line.some((p) => pointInPolygon(p, outer.rings, mode));
}

/** Whether two geographies share any point. */
export function intersects(a: Geography, b: Geography, mode: SpatialMode = GEOMETRY): boolean {
  if (a.type === "Point" && b.type === "Point") return a.point[0] === b.point[0] && a.point[1] === b.point[1];
  if (a.type === "Point") return pointTouches(a.point, b, mode);
  if (b.type === "Point") return pointTouches(b.point, a, mode);
  const linesA = a.type === "LineString" ? [a.line] : a.rings;
  const linesB = b.type === "LineString" ? [b.line] : b.rings;
  for (const la of linesA) for (let i = 0; i + 1 < la.length; i++)
    for (const lb of linesB) for (let j = 0; j + 1 < lb.length; j++)
      if (segmentsIntersect(la[i], la[i + 1], lb[j], lb[j + 1])) return true;
  if (a.type === "Polygon" && linesB[0].some((p) => pointInOrOnPolygon(p, a.rings, mode))) return true;
  if (b.type === "Polygon" && linesA[0].some((p) => pointInOrOnPolygon(p, b.rings, mode))) return true;
  return false;
}

function pointTouches(p: Position, g: Geography, mode: SpatialMode): boolean {
  if (g.type === "Polygon") return pointInOrOnPolygon(p, g.rings, mode);
  if (g.type === "LineString") return g.line.some((q, i) => i + 1 < g.line.length && onSegment(p, q, g.line[i + 1]));
  return g.point[0] === p[0] && g.point[1] === p[1];
}

/**
 * ST_OVERLAPS: two polygons share area but neither lies within the other (reference: "if
 * geographies do not overlap or one is within another, it will return 0"). A point has no
 * area and lies within or outside a polygon, so it never overlaps (OGC's same-dimension rule).
 */
export function overlaps(a: Geography, b: Geography, mode: SpatialMode = GEOMETRY): boolean {
  if (a.type === "Point" || b.type === "Point") return false;
  if (a.type !== "Polygon" || b.type !== "Polygon") {
    throw new NotSupportedError("ST_OVERLAPS with a LineString");
  }
  if (within(a, b, mode) || within(b, a, mode)) return false;
  if (polygonEdgesCross(a.rings, b.rings)) return true;
  return false;
}
