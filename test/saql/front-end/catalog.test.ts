// The built-in catalogue: complete against the reference's function lists, keyed lower-case.
import { BUILTIN_FUNCTIONS, DATEPARTS, TIME_UNITS, allFunctions, lookupFunction } from "../../../lib/saql/catalog";

// The function pages of the Stream Analytics Query Language reference (its table of contents).
const REFERENCE_FUNCTIONS = {
  aggregate: ["AVG", "COUNT", "Collect", "CollectTOP", "MAX", "MIN", "Percentile_Cont", "Percentile_Disc", "STDEV", "STDEVP", "SUM", "TopOne", "VAR", "VARP"],
  analytic: ["ISFIRST", "LAG", "LAST"],
  anomaly: ["AnomalyDetection_SpikeAndDip", "AnomalyDetection_ChangePoint"],
  array: ["GetArrayLength", "GetArrayElement", "GetArrayElements"],
  conversion: ["GetType"],
  date: ["DATEADD", "DATEDIFF", "DATENAME", "DATEPART", "DATETIMEFROMPARTS", "DAY", "MONTH", "YEAR"],
  geospatial: ["CreateLineString", "CreatePoint", "CreatePolygon", "ST_DISTANCE", "ST_OVERLAPS", "ST_INTERSECTS", "ST_WITHIN"],
  metadata: ["GetMetadataPropertyValue"],
  math: ["ABS", "CEILING", "EXP", "FLOOR", "POWER", "ROUND", "SIGN", "SQUARE", "SQRT"],
  record: ["GetRecordProperties", "GetRecordPropertyValue"],
  string: ["CHARINDEX", "CONCAT", "CONCAT_WS", "JSON_PARSE", "LEFT", "LEN", "LOWER", "LTRIM", "NCHAR", "PATINDEX", "REGEXMATCH", "REPLACE", "REPLICATE", "REVERSE", "RIGHT", "RTRIM", "SPACE", "STUFF", "SUBSTRING", "TRANSLATE", "TRIM", "UNICODE", "UPPER"],
  elements: ["COALESCE", "NULLIF"],
  windows: ["TumblingWindow", "HoppingWindow", "SlidingWindow", "SessionWindow", "SnapshotWindow", "Windows", "Tumbling", "Hopping", "Sliding", "Session"],
};

describe("built-in catalogue", () => {
  it.each(Object.entries(REFERENCE_FUNCTIONS))("has every %s function of the reference", (_group, names) => {
    for (const name of names) expect(lookupFunction(name)).toBeDefined();
  });

  it("keys every entry by its lower-case name and looks names up in any casing", () => {
    for (const key of BUILTIN_FUNCTIONS.keys()) expect(key).toBe(key.toLowerCase());
    expect(lookupFunction("dAtEaDd")?.name).toBe("DATEADD");
    expect(lookupFunction("system.timestamp")?.returns).toBe("datetime");
    expect(lookupFunction("nosuchfunction")).toBeUndefined();
  });

  it("gives kinds the engine can dispatch on", () => {
    expect(lookupFunction("getarrayelements")?.kind).toBe("table-valued");
    expect(lookupFunction("getrecordproperties")?.kind).toBe("table-valued");
    expect(lookupFunction("st_within")?.kind).toBe("geospatial");
    expect(lookupFunction("anomalydetection_changepoint")?.kind).toBe("anomaly");
    expect(lookupFunction("lag")?.kind).toBe("analytic");
    expect(lookupFunction("sum")?.kind).toBe("aggregate");
    expect(lookupFunction("tumbling")).toBe(lookupFunction("tumblingwindow"));
  });

  it("has consistent arities and argument lists", () => {
    for (const f of allFunctions()) {
      expect(f.minArgs).toBeLessThanOrEqual(f.maxArgs);
      if (f.maxArgs !== Infinity) expect(f.args.length).toBe(f.maxArgs);
      else expect(f.args.length).toBeGreaterThan(0);
    }
  });

  it("knows the datepart abbreviations of the reference and the smaller set of window units", () => {
    expect(DATEPARTS.yyyy).toBe("year");
    expect(DATEPARTS.mcs).toBe("microsecond");
    expect(DATEPARTS.n).toBe("minute");
    expect(TIME_UNITS.month).toBeUndefined();
    expect(TIME_UNITS.ss).toBe("second");
  });
});
