// Record, array and other built-ins: getrecordpropertyvalue, getrecordproperties, getarrayelement(s),
// getarraylength, coalesce, nullif, json_parse and getmetadatapropertyvalue pages.
import { TABLE_FUNCTIONS, parseDateTime, ConversionError } from "../../../lib/saql/functions";
import { call, callWith, plain } from "./helpers";

// The sample event of the GetArrayElement page.
const event = {
  DeviceId: "123",
  SensorReadings: { Temperature: 80, Humidity: 70, CustomSensor: [1, 1, 0] },
};

describe("GetArrayElement / GetArrayLength / GetArrayElements", () => {
  test("0-based index (GetArrayElement page)", () => {
    expect(call("GetArrayElement", event.SensorReadings.CustomSensor, 0)).toBe(1);
    expect(call("GetArrayElement", event.SensorReadings.CustomSensor, 2)).toBe(0);
  });
  test("outside the array or NULL gives NULL; a non-array fails like an implicit cast", () => {
    expect(call("GetArrayElement", [1], 5)).toBeNull();
    expect(call("GetArrayElement", [1], -1)).toBeNull();
    expect(() => call("GetArrayElement", "abc", 0)).toThrow(ConversionError);
    expect(call("GetArrayElement", null, 0)).toBeNull();
    expect(call("GetArrayElement", [1], null)).toBeNull();
  });
  test("GetArrayLength", () => {
    expect(call("GetArrayLength", [1, 2, 3])).toBe(3);
    expect(call("GetArrayLength", [])).toBe(0);
    expect(call("GetArrayLength", null)).toBeNull();
    expect(() => call("GetArrayLength", "abc")).toThrow(/to array/);
  });
  test("GetArrayElements gives {ArrayIndex, ArrayValue} rows", () => {
    expect(TABLE_FUNCTIONS.getarrayelements([["a", { b: 1 }]], {})).toEqual([
      { ArrayIndex: 0, ArrayValue: "a" },
      { ArrayIndex: 1, ArrayValue: { b: 1 } },
    ]);
    expect(TABLE_FUNCTIONS.getarrayelements([null], {})).toEqual([]);
  });
  test("input-validation.md: GetArrayElements on a record fails the event ('Cannot cast value of type record to type array')", () => {
    expect(() => TABLE_FUNCTIONS.getarrayelements([{}], {})).toThrow(ConversionError);
    expect(() => TABLE_FUNCTIONS.getarrayelements([{}], {})).toThrow(/record.*to array.*TRY_CAST/);
  });
});

describe("GetRecordPropertyValue / GetRecordProperties", () => {
  test("a property by dynamic name, case-insensitively, exact case first", () => {
    expect(call("GetRecordPropertyValue", event.SensorReadings, "Temperature")).toBe(80);
    expect(call("GetRecordPropertyValue", event.SensorReadings, "humidity")).toBe(70);
    expect(call("GetRecordPropertyValue", { a: 1, A: 2 }, "A")).toBe(2);
  });
  test("a bracket-escaped name reads a property with special characters (GetRecordPropertyValue page)", () => {
    expect(call("GetRecordPropertyValue", { "my.Field": 5 }, "[my.Field]")).toBe(5);
    expect(call("GetRecordPropertyValue", { my: { Field: 6 } }, "[my][Field]")).toBe(6);
    expect(call("GetRecordPropertyValue", { my: 1 }, "[my][Field]")).toBeNull();
  });
  test("missing property or NULL gives NULL; a non-record fails like an implicit cast", () => {
    expect(call("GetRecordPropertyValue", event.SensorReadings, "Pressure")).toBeNull();
    expect(call("GetRecordPropertyValue", null, "a")).toBeNull();
    expect(call("GetRecordPropertyValue", { a: 1 }, null)).toBeNull();
    expect(() => call("GetRecordPropertyValue", [1], "a")).toThrow(ConversionError);
  });
  test("GetRecordProperties gives {PropertyName, PropertyValue} rows in order", () => {
    expect(TABLE_FUNCTIONS.getrecordproperties([event.SensorReadings], {})).toEqual([
      { PropertyName: "Temperature", PropertyValue: 80 },
      { PropertyName: "Humidity", PropertyValue: 70 },
      { PropertyName: "CustomSensor", PropertyValue: [1, 1, 0] },
    ]);
    expect(TABLE_FUNCTIONS.getrecordproperties([null], {})).toEqual([]);
    expect(() => TABLE_FUNCTIONS.getrecordproperties(["text"], {})).toThrow(ConversionError);
  });
});

describe("COALESCE, NULLIF, JSON_PARSE", () => {
  test("COALESCE page's table: the first non-NULL argument, of any type", () => {
    expect(call("COALESCE", 0, "a")).toBe(0);
    expect(call("COALESCE", null, "a")).toBe("a");
    expect(call("COALESCE", null, null)).toBeNull();
    expect(call("COALESCE", null, null, 2, null)).toBe(2);
  });
  test("NULLIF page: NULLIF(4,4) is NULL, NULLIF(5,7) is 5", () => {
    expect(call("NULLIF", 4, 4)).toBeNull();
    expect(call("NULLIF", 5, 7)).toBe(5);
    expect(call("NULLIF", null, 1)).toBeNull();
    expect(call("NULLIF", 1, null)).toBe(1);
  });
  test("JSON_PARSE page: a JSON object string becomes a record", () => {
    const current = '{"SalesOrderID":"65191","SalesOrderDetailID":"89090","ProductName":"Touring-2000 Blue, 54"}';
    expect(call("JSON_PARSE", current)).toEqual({ SalesOrderID: "65191", SalesOrderDetailID: "89090", ProductName: "Touring-2000 Blue, 54" });
  });
  test("JSON_PARSE never throws: invalid JSON, non-objects and non-strings give NULL", () => {
    expect(call("JSON_PARSE", "{oops")).toBeNull();
    expect(call("JSON_PARSE", "[1,2]")).toBeNull();
    expect(call("JSON_PARSE", "42")).toBeNull();
    expect(call("JSON_PARSE", 42)).toBeNull();
    expect(call("JSON_PARSE", null)).toBeNull();
  });
});

describe("GetMetadataPropertyValue (getmetadatapropertyvalue page)", () => {
  const metadata = {
    EventHub: { EventEnqueuedUtcTime: parseDateTime("2021-06-01T10:00:00Z")!, PartitionId: 3, IoTConnectionDeviceId: "dev1" },
    IoTHub: { EnqueuedTime: parseDateTime("2021-06-01T09:59:59Z")! },
    User: { SenderClientId: "client-7", "odd]name": 1 },
    BlobName: "input/2021/06/01.json",
    EventId: "6f1b2a9e-0000-4000-8000-000000000001",
  };
  const ctx = { metadata };
  test.each([
    ["[EventHub].[EventEnqueuedUtcTime]", "2021-06-01T10:00:00.0000000Z"],
    ["[EventHub].[IoTConnectionDeviceId]", "dev1"],
    ["IoTHub.EnqueuedTime", "2021-06-01T09:59:59.0000000Z"],
    ["BlobName", "input/2021/06/01.json"],
    ["[User].[SenderClientId]", "client-7"],
    ["EventId", "6f1b2a9e-0000-4000-8000-000000000001"],
    ["[eventhub].[partitionid]", 3],
    ["[User].[odd]]name]", 1],
  ])("%s", (path, expected) => {
    expect(plain(callWith(ctx, "GetMetadataPropertyValue", { any: "event" }, path))).toEqual(expected);
  });
  test("a whole adapter record, as the page shows with 'EventHub' and '[User]'", () => {
    expect(callWith(ctx, "GetMetadataPropertyValue", null, "[User]")).toEqual(metadata.User);
  });
  test("an unknown property, or no metadata at all, gives NULL", () => {
    expect(callWith(ctx, "GetMetadataPropertyValue", null, "[EventHub].[Nope]")).toBeNull();
    expect(callWith({}, "GetMetadataPropertyValue", null, "EventId")).toBeNull();
  });
});

describe("stream-analytics-parsing-json.md examples", () => {
  const sample = {
    DeviceId: "12345",
    SensorReadings: { Temperature: 80, Humidity: 70, CustomSensor01: 5, CustomSensor02: 99, CustomSensor03: [12, -5, 0] },
  };
  test("GetRecordPropertyValue against reference thresholds: only Humidity is above its threshold", () => {
    const thresholds = [
      { SensorName: "Temperature", Value: 85 },
      { SensorName: "Humidity", Value: 65 },
    ];
    const alerts = thresholds.filter((t) => (call("GetRecordPropertyValue", sample.SensorReadings, t.SensorName) as number) > t.Value);
    expect(alerts.map((t) => t.SensorName)).toEqual(["Humidity"]);
  });
  test("GetArrayElement(…, 0) = 12, GetArrayLength = 3, GetArrayElements gives indexes 0..2", () => {
    expect(call("GetArrayElement", sample.SensorReadings.CustomSensor03, 0)).toBe(12);
    expect(call("GetArrayLength", sample.SensorReadings.CustomSensor03)).toBe(3);
    expect(TABLE_FUNCTIONS.getarrayelements([sample.SensorReadings.CustomSensor03], {})).toEqual([
      { ArrayIndex: 0, ArrayValue: 12 },
      { ArrayIndex: 1, ArrayValue: -5 },
      { ArrayIndex: 2, ArrayValue: 0 },
    ]);
  });
});
