// Geographies as ASA takes and returns them: GeoJSON records (Point, LineString, Polygon)
// or WKT text ("These functions support all WKT types and GeoJSON Point, Polygon and
// LineString" — stream-analytics-geospatial-functions.md). Coordinates are [longitude, latitude].
import { getField, isRecord, type Value } from "../../values";
import { FunctionArgumentError } from "../errors";
import { describeValue } from "../describe";

export type Position = [number, number];
export type Geography =
  | { type: "Point"; point: Position }
  | { type: "LineString"; line: Position[] }
  | { type: "Polygon"; rings: Position[][] };

function position(fn: string, value: unknown): Position {
  if (Array.isArray(value) && value.length >= 2 && typeof value[0] === "number" && typeof value[1] === "number") {
    return [value[0], value[1]];
  }
  throw new FunctionArgumentError(fn, `expected a [longitude, latitude] position, got ${JSON.stringify(value)}`);
}

/** Polygon rings: GeoJSON nests rings ([[[x,y],…]]); some reference examples give one ring unnested ([[x,y],…]). Both are read. */
function rings(fn: string, value: unknown): Position[][] {
  if (!Array.isArray(value) || value.length === 0) throw new FunctionArgumentError(fn, "a polygon needs coordinates");
  const nested = Array.isArray(value[0]) && Array.isArray((value[0] as unknown[])[0]);
  const list = (nested ? value : [value]) as unknown[];
  return list.map((ring) => {
    if (!Array.isArray(ring)) throw new FunctionArgumentError(fn, "a polygon ring must be a list of positions");
    return ring.map((p) => position(fn, p));
  });
}

function fromWkt(fn: string, text: string): Geography {
  const match = /^\s*(POINT|LINESTRING|POLYGON)\s*\((.*)\)\s*$/is.exec(text);
  if (!match) throw new FunctionArgumentError(fn, `not a WKT POINT, LINESTRING or POLYGON: '${text}'`);
  const kind = match[1].toUpperCase();
  const pairs = (list: string): Position[] =>
    list.split(",").map((pair) => {
      const nums = pair.trim().split(/\s+/).map(Number);
      if (nums.length < 2 || nums.some((n) => Number.isNaN(n))) throw new FunctionArgumentError(fn, `bad WKT coordinates '${pair.trim()}'`);
      return [nums[0], nums[1]];
    });
  if (kind === "POINT") return { type: "Point", point: pairs(match[2])[0] };
  if (kind === "LINESTRING") return { type: "LineString", line: pairs(match[2]) };
  const ringTexts = match[2].match(/\(([^()]*)\)/g);
  if (!ringTexts) throw new FunctionArgumentError(fn, `bad WKT polygon '${text}'`);
  return { type: "Polygon", rings: ringTexts.map((r) => pairs(r.slice(1, -1))) };
}

/** Reads a geography argument; NULL stays undefined so callers can return NULL. */
export function readGeography(fn: string, value: Value): Geography {
  if (typeof value === "string") return fromWkt(fn, value);
  if (isRecord(value)) {
    const type = getField(value, "type");
    const coordinates = getField(value, "coordinates") as unknown;
    switch (typeof type === "string" ? type.toLowerCase() : "") {
      case "point":
        return { type: "Point", point: position(fn, coordinates) };
      case "linestring":
        if (!Array.isArray(coordinates)) break;
        return { type: "LineString", line: coordinates.map((p) => position(fn, p)) };
      case "polygon":
        return { type: "Polygon", rings: rings(fn, coordinates) };
    }
  }
  throw new FunctionArgumentError(fn, `expected a GeoJSON Point, LineString or Polygon (or WKT), got ${describeValue(value)}`);
}
