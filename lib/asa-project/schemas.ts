// The shapes of an ASA VS Code project's files, as the ASA tools write them (PascalCase keys;
// unknown keys such as credentials and storage settings are allowed and ignored).
import { z } from "zod";

const text = z.string();

export const asaprojSchema = z.looseObject({
  name: text.min(1, "a project has a name"),
  startFile: text.min(1, "a project names its query file (startFile)"),
  configurations: z.array(z.looseObject({ filePath: text.min(1), subType: text.optional() })).default([]),
});

export const jobConfigSchema = z.looseObject({
  DataLocale: text.nullish(),
  OutputErrorPolicy: z.enum(["Stop", "Drop", "Retry", "stop", "drop", "retry"]).nullish(),
  EventsLateArrivalMaxDelayInSeconds: z.coerce.number().int().min(-1).max(1814399).nullish(),
  EventsOutOfOrderMaxDelayInSeconds: z.coerce.number().int().min(0).max(599).nullish(),
  EventsOutOfOrderPolicy: z.enum(["Adjust", "Drop", "adjust", "drop"]).nullish(),
  // A number, or text: "3", and for V2 SKUs the fractions "1/3" and "2/3".
  StreamingUnits: z.union([z.number(), text]).nullish(),
  Sku: z.looseObject({ Name: text.nullish(), StreamingUnits: z.union([z.number(), text]).nullish() }).nullish(),
  CompatibilityLevel: z.enum(["1.0", "1.1", "1.2"]).nullish(),
});

export const serializationConfigSchema = z.looseObject({
  Type: text,
  Encoding: text.nullish(),
  FieldDelimiter: text.nullish(),
  Format: text.nullish(),
  /** The .NET class of a CustomClr deserializer. */
  SerializationClassName: text.nullish(),
});

export const inputConfigSchema = z.looseObject({
  Name: text.min(1, "an input has a Name (its alias)"),
  Type: text.nullish(),
  DataSourceType: text.nullish(),
  Serialization: serializationConfigSchema.nullish(),
  CompressionType: text.nullish(),
  Compression: z.looseObject({ Type: text.nullish() }).nullish(),
  PartitionKey: text.nullish(),
});

/**
 * Inputs/Local_*.json. Two shapes exist: the older `{InputAlias, Type, Format, FilePath}` and
 * the newer `{Name, Type, DataSourceType: "Local Input", Serialization: {Type, …}, FilePath}`.
 */
export const localInputSchema = z.looseObject({
  InputAlias: text.min(1).nullish(),
  Name: text.min(1).nullish(),
  Type: text.nullish(),
  Format: text.nullish(),
  FilePath: text.min(1, "a local input names its FilePath"),
  Delimiter: text.nullish(),
  FieldDelimiter: text.nullish(),
  Serialization: serializationConfigSchema.nullish(),
  SerializationClassName: text.nullish(),
});

export const outputConfigSchema = z.looseObject({
  Name: text.min(1, "an output has a Name (its alias)"),
  DataSourceType: text.nullish(),
  Serialization: serializationConfigSchema.nullish(),
});

export const functionConfigSchema = z.looseObject({
  Name: text.nullish(),
  Type: text.nullish(),
  FunctionType: text.nullish(),
  Binding: z.looseObject({ Type: text.nullish(), Script: text.nullish(), ScriptFile: text.nullish() }).nullish(),
  Inputs: z.array(z.looseObject({ DataType: text.nullish() })).nullish(),
  Output: z.looseObject({ DataType: text.nullish() }).nullish(),
  // The VS Code extension's `<name>.js.json` (and C# function configs) write these instead.
  FunctionInputs: z.array(z.looseObject({ DataType: text.nullish() })).nullish(),
  OutputType: text.nullish(),
  ScriptFile: text.nullish(),
  ScriptType: text.nullish(),
  AssemblyName: text.nullish(),
  ClassName: text.nullish(),
});

export const testConfigSchema = z.looseObject({
  Script: text.nullish(),
  TestCases: z.array(
    z.looseObject({
      Name: text.min(1, "a test case has a Name"),
      Inputs: z
        .array(
          z.looseObject({
            InputAlias: text.min(1, "an input names its InputAlias"),
            Type: text.nullish(),
            Format: text.nullish(),
            FilePath: text.min(1, "an input names its FilePath"),
            Delimiter: text.nullish(),
            ScriptType: text.nullish(),
          }),
        )
        .default([]),
      ExpectedOutputs: z
        .array(
          z.looseObject({
            OutputAlias: text.min(1, "an expected output names its OutputAlias"),
            FilePath: text.min(1, "an expected output names its FilePath (any text when Required is false)"),
            // The ASA tools write it as a boolean or as the text "true"/"false".
            Required: z.union([z.boolean(), z.enum(["true", "false", "True", "False"])]).default(true),
          }),
        )
        .default([]),
    }),
  ),
});
