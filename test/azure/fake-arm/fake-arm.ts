// Starts the fake ARM server as a child process and drives it through its control routes.
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import type { FakeJob, Fault, LoggedRequest, TestQueryBehaviour } from "./server";

export type { FakeJob, Fault, LoggedRequest, TestQueryBehaviour };

export const GOOD_TOKEN = "good-token";
export const EXPIRED_TOKEN = "expired-token";
export const SUBSCRIPTION = "00000000-1111-2222-3333-444444444444";

export interface FakeArm {
  url: string;
  /** Env for a CLI run against this server (endpoint, token, fast timings). */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  reset(): Promise<void>;
  setJob(job: Partial<FakeJob> & Pick<FakeJob, "name" | "jobState">): Promise<void>;
  jobs(): Promise<FakeJob[]>;
  addFaults(...faults: Fault[]): Promise<void>;
  setCompileResult(result: unknown): Promise<void>;
  setTestQuery(behaviour: TestQueryBehaviour): Promise<void>;
  requests(): Promise<LoggedRequest[]>;
  stop(): Promise<void>;
}

export async function startFakeArm(): Promise<FakeArm> {
  const child: ChildProcess = spawn(process.execPath, ["-r", "tsx/cjs", resolve(__dirname, "server.ts")], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let buffered = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      const match = /listening (http:\/\/\S+)/.exec(buffered);
      if (match) resolveUrl(match[1]!);
    });
    child.on("exit", (code) => reject(new Error(`fake ARM exited early (code ${code})`)));
  });

  const control = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? undefined : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`fake ARM control ${method} ${path}: HTTP ${response.status}`);
    const text = await response.text();
    return text ? JSON.parse(text) : undefined;
  };

  return {
    url,
    env: (extra = {}) => ({
      STREAMKIT_ARM_ENDPOINT: url,
      STREAMKIT_ARM_TEST_TOKEN: GOOD_TOKEN,
      STREAMKIT_ARM_RETRY_BASE_MS: "10",
      STREAMKIT_ARM_POLL_MS: "10",
      STREAMKIT_ARM_MAX_RETRIES: "3",
      AZURE_SUBSCRIPTION_ID: "",
      ...extra,
    }),
    reset: async () => void (await control("POST", "/_fake/reset")),
    setJob: async (job) =>
      void (await control("POST", "/_fake/jobs", { subscriptionId: SUBSCRIPTION, resourceGroup: "rg-stream", location: "West Europe", ...job })),
    jobs: async () => (await control("GET", "/_fake/jobs")) as FakeJob[],
    addFaults: async (...faults) => void (await control("POST", "/_fake/faults", faults)),
    setCompileResult: async (result) => void (await control("POST", "/_fake/compile-result", result)),
    setTestQuery: async (behaviour) => void (await control("POST", "/_fake/test-query", behaviour)),
    requests: async () => (await control("GET", "/_fake/requests")) as LoggedRequest[],
    stop: () =>
      new Promise<void>((done) => {
        child.once("exit", () => done());
        child.stdin!.end();
      }),
  };
}
