/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  rootDir: __dirname,
  testMatch: ["<rootDir>/{test,lib,constructs,stacks,queries}/**/*.test.ts"],
  transform: {
    // swc transpiles only; `tsc --noEmit` type-checks separately (see npm test).
    "^.+\\.(t|j|mj)s$": ["@swc/jest", { jsc: { target: "es2022" }, module: { type: "commonjs" } }],
  },
  // hyparquet and friends are ESM-only: let swc turn them into CommonJS too.
  transformIgnorePatterns: ["/node_modules/(?!(hyparquet|hyparquet-writer)/)"],
  moduleFileExtensions: ["ts", "js", "mjs", "json"],
  modulePathIgnorePatterns: ["<rootDir>/cdktf.out", "<rootDir>/dist"],
  testTimeout: 60000,
};
