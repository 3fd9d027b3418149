// ASA VS Code projects and their test configurations, read into the job model.
export { loadAsaProject, findAsaproj, functionsInFolder, type AsaProject, type ProjectLocalInput } from "./project";
export { loadTestConfig, defaultTestConfigPath, type TestConfig, type TestConfigCase, type TestConfigInput, type TestConfigOutput } from "./test-config";
export { localInputsOfProject, type ProjectRunInput } from "./local-inputs";
