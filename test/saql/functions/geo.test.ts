// Geospatial functions: createpoint, createlinestring, createpolygon, st-distance, st-within,
// st-overlaps, st-intersects pages and the geospatial-scenarios.md article.
import { call, callWith } from "./helpers";

const polygon = (coordinates: number[][]) => ({ type: "Polygon", coordinates: [coordinates] });
const point = (lon: number, lat: number) => ({ type: "Point", coordinates: [lon, lat] });

describe("constructors (their pages' outputs)", () => {
  test("CreatePoint(latitude, longitude) → coordinates [longitude, latitude]", () => {
    expect(call("CreatePoint", 3.0, -10.2)).toEqual({ type: "Point", coordinates: [-10.2, 3.0] });
    expect(call("CreatePoint", -87.33, 20.2321)).toEqual({ type: "Point", coordinates: [20.2321, -87.33] });
  });
  test("CreateLineString connects points in order", () => {
    const line = call("CreateLineString", call("CreatePoint", 3.0, -10.2), call("CreatePoint", 10.0, 10.0), call("CreatePoint", 10.5, 10.5));
    expect(line).toEqual({ type: "LineString", coordinates: [[-10.2, 3.0], [10.0, 10.0], [10.5, 10.5]] });
  });
  test("CreatePolygon nests one closed ring", () => {
    const p = call("CreatePolygon", call("CreatePoint", 3.0, -10.2), call("CreatePoint", 10.0, 10.0), call("CreatePoint", 10.5, 10.5), call("CreatePoint", 3.0, -10.2));
    expect(p).toEqual({ type: "Polygon", coordinates: [[[-10.2, 3.0], [10.0, 10.0], [10.5, 10.5], [-10.2, 3.0]]] });
  });
  test("CreatePolygon refuses an open ring or too few points; CreateLineString needs two points", () => {
    expect(() => call("CreatePolygon", point(0, 0), point(1, 0), point(1, 1))).toThrow(/first and last points/);
    expect(() => call("CreatePolygon", point(0, 0), point(1, 0), point(0, 0))).toThrow(/at least 3 points/);
    expect(() => call("CreateLineString", point(0, 0))).toThrow(/at least 2/);
    expect(() => call("CreateLineString", point(0, 0), point(2, 2), point(1, 1))).toThrow(/overlaps itself/);
    expect(call("CreateLineString", point(0, 0), point(2, 2), point(3, 3))).toEqual({ type: "LineString", coordinates: [[0, 0], [2, 2], [3, 3]] });
  });
  test("CreatePoint checks the coordinate ranges; NULL gives NULL", () => {
    expect(() => call("CreatePoint", 91, 0)).toThrow(/latitude/);
    expect(call("CreatePoint", null, 1)).toBeNull();
  });
});

describe("ST_DISTANCE", () => {
  test("the page's example: [-5, -5] to [0, 0] is 784028.74077501823 m (within 1 mm)", () => {
    const d = call("ST_DISTANCE", point(-5, -5), point(0, 0)) as number;
    expect(Math.abs(d - 784028.74077501823)).toBeLessThan(0.001);
  });
  test("zero for the same point, symmetric, and 0 with polygons (page: 'If used with Polygons will return 0')", () => {
    expect(call("ST_DISTANCE", point(10, 20), point(10, 20))).toBe(0);
    expect(call("ST_DISTANCE", point(1, 2), point(3, 4))).toBeCloseTo(call("ST_DISTANCE", point(3, 4), point(1, 2)) as number, 6);
    expect(call("ST_DISTANCE", point(1, 1), polygon([[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]))).toBe(0);
  });
  test("WKT points are read too", () => {
    const d = call("ST_DISTANCE", "POINT(-5 -5)", "POINT(0 0)") as number;
    expect(Math.abs(d - 784028.74077501823)).toBeLessThan(0.001);
  });
  test("NULL gives NULL; something that is not a geography is an error", () => {
    expect(call("ST_DISTANCE", null, point(0, 0))).toBeNull();
    expect(() => call("ST_DISTANCE", { a: 1 }, point(0, 0))).toThrow(/GeoJSON/);
  });
});

describe("ST_WITHIN (its page's example)", () => {
  test("(76.6, 10.1) is not within [0..10]²; (15, 15) is within [10..20]²", () => {
    expect(call("ST_WITHIN", point(76.6, 10.1), polygon([[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]))).toBe(0);
    expect(call("ST_WITHIN", point(15, 15), polygon([[10, 10], [20, 10], [20, 20], [10, 20], [10, 10]]))).toBe(1);
  });
  test("a polygon within a polygon", () => {
    const outer = polygon([[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]);
    expect(call("ST_WITHIN", polygon([[1, 1], [2, 1], [2, 2], [1, 2], [1, 1]]), outer)).toBe(1);
    expect(call("ST_WITHIN", polygon([[5, 5], [15, 5], [15, 15], [5, 15], [5, 5]]), outer)).toBe(0);
  });
  test("before compatibility level 1.2 (geography) a clockwise ring is the whole globe minus the polygon (CreatePolygon page)", () => {
    const clockwise = polygon([[0, 0], [0, 10], [10, 10], [10, 0], [0, 0]]);
    const geography = { compatibilityLevel: "1.1" as const };
    expect(callWith(geography, "ST_WITHIN", point(5, 5), clockwise)).toBe(0);
    expect(callWith(geography, "ST_WITHIN", point(50, 50), clockwise)).toBe(1);
  });
  test("from compatibility level 1.2 (projected geometry, the default) orientation does not matter", () => {
    const clockwise = polygon([[0, 0], [0, 10], [10, 10], [10, 0], [0, 0]]);
    expect(call("ST_WITHIN", point(5, 5), clockwise)).toBe(1);
    expect(callWith({ compatibilityLevel: "1.2" }, "ST_WITHIN", point(50, 50), clockwise)).toBe(0);
  });
});

describe("geofencing article (geospatial-scenarios.md), WKT geofences", () => {
  const building41 = "POLYGON((-122.1337357922017 47.63782998329432,-122.13373042778369 47.637634793257305,-122.13346757130023 47.637642022530954,-122.13348902897235 47.637508280806806,-122.13361777500506 47.637508280806806,-122.13361241058703 47.63732393354484,-122.13265754417773 47.63730947490855,-122.13266290859576 47.637519124743164,-122.13302232460376 47.637515510097955,-122.13301696018573 47.63764925180358,-122.13272728161212 47.63764925180358,-122.13274873928424 47.63784082716388,-122.13373579220172 47.63782998329432))";
  const building40 = "POLYGON((-122.1336154507967 47.6366745947009,-122.13361008637867 47.636483015064535,-122.13349206918201 47.636479400347675,-122.13349743360004 47.63636372927573,-122.13372810357532 47.63636372927573,-122.13373346799335 47.63617576323771,-122.13263912671528 47.63616491902258,-122.13264985555134 47.63635649982525,-122.13304682248554 47.636367344000604,-122.13305218690357 47.63650831807564,-122.13276250832996 47.636497473929516,-122.13277323716602 47.63668543881025,-122.1336154507967 47.6366745947009))";
  const building22 = "POLYGON((-122.13611660248233 47.63758544698554,-122.13635263687564 47.6374083293018,-122.13622389084293 47.63733603619712,-122.13622389084293 47.63717699101473,-122.13581619507266 47.63692757827657,-122.13559625393344 47.637046862778135,-122.13569281345798 47.637144458985965,-122.13570890671207 47.637314348246214,-122.13611660248233 47.63758544698554))";
  test("device C lies inside building 40, not in its allowed building 22 (the article's alert)", () => {
    const c = "POINT(-122.13354001095752 47.63627622505007)";
    expect(call("ST_WITHIN", c, building40)).toBe(1);
    expect(call("ST_WITHIN", c, building22)).toBe(0);
  });
  test("devices A and B are inside their own buildings", () => {
    expect(call("ST_WITHIN", "POINT(-122.13292341559497 47.636318374032726)", building40)).toBe(1);
    expect(call("ST_WITHIN", "POINT(-122.13338475554553 47.63743531308874)", building41)).toBe(1);
  });
});

describe("ST_OVERLAPS (its page's example) and ST_INTERSECTS", () => {
  test("disjoint squares do not overlap; crossing ones do (the page's rings are unnested)", () => {
    const datacenter1 = { type: "Polygon", coordinates: [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]] };
    const storm1 = { type: "Polygon", coordinates: [[30, 30], [40, 30], [40, 40], [30, 40], [30, 30]] };
    const datacenter2 = { type: "Polygon", coordinates: [[0, 0], [20, 0], [20, 20], [0, 20], [0, 0]] };
    const storm2 = { type: "Polygon", coordinates: [[10, 10], [40, 10], [40, 40], [40, 20], [40, 40]] };
    expect(call("ST_OVERLAPS", datacenter1, storm1)).toBe(0);
    expect(call("ST_OVERLAPS", datacenter2, storm2)).toBe(1);
  });
  test("one polygon within another does not overlap it (page: 'or one is within another, it will return 0')", () => {
    const outer = polygon([[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]);
    expect(call("ST_OVERLAPS", polygon([[1, 1], [2, 1], [2, 2], [1, 2], [1, 1]]), outer)).toBe(0);
    expect(call("ST_OVERLAPS", point(5, 5), outer)).toBe(0);
  });
  test("ST_INTERSECTS of line strings", () => {
    const a = { type: "LineString", coordinates: [[0, 0], [10, 10]] };
    const b = { type: "LineString", coordinates: [[0, 10], [10, 0]] };
    const c = { type: "LineString", coordinates: [[20, 20], [30, 30]] };
    expect(call("ST_INTERSECTS", a, b)).toBe(1);
    expect(call("ST_INTERSECTS", a, c)).toBe(0);
    expect(call("ST_INTERSECTS", "LINESTRING(0 0, 10 10)", "LINESTRING(10 10, 20 0)")).toBe(1);
    expect(call("ST_INTERSECTS", null, a)).toBeNull();
  });
});
