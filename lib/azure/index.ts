// ARM operations on Stream Analytics jobs: lifecycle, remote compile and test, safe redeploy.
export { ArmClient, toArmError, type ArmClientOptions, type ArmRequest, type ArmResponse } from "./arm-client";
export { ArmError, armErrorFromResponse, type ArmErrorKind } from "./errors";
export { resolveArmEndpoint, isLoopbackUrl, PUBLIC_ARM_ENDPOINT, ARM_ENDPOINT_ENV } from "./endpoint";
export { resolveCredential, StaticTokenCredential, TEST_TOKEN_ENV } from "./credential";
export { resolveTimings, DEFAULT_TIMINGS, type ArmTimings } from "./settings";
export { parseJobId, jobPath, describeJob, jobRefsFromOutputs, type JobRef } from "./job-ref";
export {
  getJobStatus,
  startJob,
  stopJob,
  isRunningState,
  isStoppedState,
  OUTPUT_START_MODES,
  JOBS_API_VERSION,
  type JobStatus,
  type OutputStartMode,
  type LifecycleResult,
} from "./streaming-jobs";
export { waitForOperation, type LroProgress } from "./lro";
export {
  compileRemotely,
  compileQueryBody,
  toDiagnostics,
  PREVIEW_API_VERSION,
  type CompileQueryBody,
  type QueryCompilationResult,
  type RemoteCompileResult,
  type CompileTarget,
} from "./compile-query";
export { testRemotely, testQueryBody, readJsonEvents, type QueryTestingResult, type TestRemoteOutcome } from "./test-query";
export { safeDeploy, type SafeDeployReport, type JobOutcome } from "./safe-deploy";
export { statusLine, type StatusLine } from "./progress";
