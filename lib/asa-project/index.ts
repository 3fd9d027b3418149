// ASA projects (VS Code asaproj.json, Visual Studio .asaproj) and their test configurations, read into the job model.
export { loadAsaProject, findAsaproj, functionsInFolder, type AsaProject, type ProjectLocalInput, type LoadProjectOptions } from "./project";
export { loadTestConfig, defaultTestConfigPath, findTestConfig, type TestConfig, type TestConfigCase, type TestConfigInput, type TestConfigOutput } from "./test-config";
export { localInputsOfProject, missingLocalFiles, type ProjectRunInput } from "./local-inputs";
