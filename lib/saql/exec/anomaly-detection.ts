// AnomalyDetection_SpikeAndDip and AnomalyDetection_ChangePoint cannot run locally. Their
// reference pages name only the model ("adaptive kernel density estimation", "Exchangeability
// Martingales"), and the anomaly-detection article adds that gaps are filled by "imputation
// logic" from the history size and duration — neither gives the kernel, bandwidth, martingale
// betting function, thresholds or imputation exactly, so no local score could equal ASA's.
// A made-up model would give plausible but wrong answers; the run stops with the reason instead.
import { NotSupportedError } from "../../core/errors";
import type { FunctionCall } from "../ast";
import type { locationOf } from "./compile-expr";

const MODELS: Record<string, string> = {
  anomalydetection_spikeanddip: "adaptive kernel density estimation",
  anomalydetection_changepoint: "exchangeability martingales",
};

export function isAnomalyDetection(call: FunctionCall): boolean {
  return !call.namespace && call.name.name.toLowerCase() in MODELS;
}

export function anomalyDetectionNotSupported(call: FunctionCall, where: ReturnType<typeof locationOf>): NotSupportedError {
  const model = MODELS[call.name.name.toLowerCase()];
  const error = new NotSupportedError(call.name.name, where);
  error.message +=
    `: its ${model} model is not documented precisely enough to reproduce ASA's scores. ` +
    "Test this part of the job in Azure with `streamkit job test-remote`";
  return error;
}
