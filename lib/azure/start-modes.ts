// Where a started job's output begins (ASA's outputStartMode). Kept apart from the ARM client
// so the CLI can list the choices without loading the Azure SDK.
export const OUTPUT_START_MODES = ["JobStartTime", "CustomTime", "LastOutputEventTime"] as const;
export type OutputStartMode = (typeof OUTPUT_START_MODES)[number];
