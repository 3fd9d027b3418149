// Geospatial functions. Reference: "GeoSpatial Functions": CreatePoint, CreateLineString,
// CreatePolygon, ST_DISTANCE, ST_WITHIN, ST_OVERLAPS, ST_INTERSECTS. Created shapes are
// GeoJSON records `{"type": …, "coordinates": …}` with [longitude, latitude] positions;
// predicates return 1 or 0 (bigint). NULL in → NULL out.
import type { RecordValue, Value } from "../../values";
import type { FunctionContext, ScalarFunction } from "../context";
import { FunctionArgumentError } from "../errors";
import { strict, numberArg } from "../scalar/args";
import { geodesicDistance } from "./geodesic";
import { intersects, overlaps, within, type SpatialMode } from "./predicates";
import { readGeography, type Position } from "./shapes";

/** Geography before compatibility level 1.2, projected geometry from 1.2 (the default). */
function spatialMode(ctx: FunctionContext): SpatialMode {
  return { geography: ctx.compatibilityLevel === "1.0" || ctx.compatibilityLevel === "1.1" };
}

function pointPosition(fn: string, value: Value): Position {
  const geo = readGeography(fn, value);
  if (geo.type !== "Point") throw new FunctionArgumentError(fn, `expects points, got a ${geo.type}`);
  return geo.point;
}

/** Whether segment b→c runs back along a→b (collinear, opposite direction). */
function doublesBack(a: Position, b: Position, c: Position): boolean {
  const [ux, uy] = [b[0] - a[0], b[1] - a[1]];
  const [vx, vy] = [c[0] - b[0], c[1] - b[1]];
  if ((ux === 0 && uy === 0) || (vx === 0 && vy === 0)) return false;
  return ux * vy - uy * vx === 0 && ux * vx + uy * vy < 0;
}

export const GEO_FUNCTIONS: Record<string, ScalarFunction> = {
  /** CreatePoint(latitude, longitude) → {"type":"Point","coordinates":[longitude, latitude]}. */
  createpoint: strict("CreatePoint", 2, 2, (args) => {
    const latitude = numberArg("CreatePoint", args[0], 1);
    const longitude = numberArg("CreatePoint", args[1], 2);
    if (latitude < -90 || latitude > 90) throw new FunctionArgumentError("CreatePoint", `latitude ${latitude} is outside -90 … 90`);
    if (longitude < -180 || longitude > 180) throw new FunctionArgumentError("CreatePoint", `longitude ${longitude} is outside -180 … 180`);
    return { type: "Point", coordinates: [longitude, latitude] } as RecordValue;
  }),

  /**
   * CreateLineString(point, point, …): at least two points, connected in order; "the structure
   * cannot overlap itself over an interval of two or more consecutive points" (its page), so a
   * line that doubles back along its previous segment is refused.
   */
  createlinestring: strict("CreateLineString", 2, Infinity, (args) => {
    const line = args.map((p) => pointPosition("CreateLineString", p));
    for (let i = 1; i + 1 < line.length; i++) {
      if (doublesBack(line[i - 1], line[i], line[i + 1])) {
        throw new FunctionArgumentError("CreateLineString", `the line overlaps itself at point ${i + 1}: a LineString cannot double back over consecutive points`);
      }
    }
    return { type: "LineString", coordinates: line } as RecordValue;
  }),

  /**
   * CreatePolygon(point, …): one ring (no holes), at least 3 points, "first and last points
   * declared must be equal to close the loop" (CreatePolygon page).
   */
  createpolygon: strict("CreatePolygon", 3, Infinity, (args) => {
    const ring = args.map((p) => pointPosition("CreatePolygon", p));
    const [first, last] = [ring[0], ring[ring.length - 1]];
    if (first[0] !== last[0] || first[1] !== last[1]) {
      throw new FunctionArgumentError("CreatePolygon", "the first and last points must be equal to close the polygon");
    }
    if (ring.length < 4) throw new FunctionArgumentError("CreatePolygon", "a polygon needs at least 3 points besides the closing one");
    return { type: "Polygon", coordinates: [ring] } as RecordValue;
  }),

  /** ST_DISTANCE(pointA, pointB): geodesic metres; "if used with polygons will return 0". */
  st_distance: strict("ST_DISTANCE", 2, 2, (args) => {
    const a = readGeography("ST_DISTANCE", args[0]);
    const b = readGeography("ST_DISTANCE", args[1]);
    if (a.type !== "Point" || b.type !== "Point") return 0;
    return geodesicDistance(a.point, b.point);
  }),

  st_within: strict("ST_WITHIN", 2, 2, (args, ctx) => {
    return within(readGeography("ST_WITHIN", args[0]), readGeography("ST_WITHIN", args[1]), spatialMode(ctx)) ? 1 : 0;
  }),

  st_overlaps: strict("ST_OVERLAPS", 2, 2, (args, ctx) => {
    return overlaps(readGeography("ST_OVERLAPS", args[0]), readGeography("ST_OVERLAPS", args[1]), spatialMode(ctx)) ? 1 : 0;
  }),

  st_intersects: strict("ST_INTERSECTS", 2, 2, (args, ctx) => {
    return intersects(readGeography("ST_INTERSECTS", args[0]), readGeography("ST_INTERSECTS", args[1]), spatialMode(ctx)) ? 1 : 0;
  }),
};
