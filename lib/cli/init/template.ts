// The files of a new cdktf app that uses streamkit (`streamkit init <dir>`): one pipeline stack
// per environment (Event Hubs → Stream Analytics job → ADLS Gen2), its query with a test case, a
// synth snapshot test, and the commands to go on with in its README.

export interface ScaffoldOptions {
  /** The project's npm name (the folder's name). */
  project: string;
  /** The solution's short name: 2-12 lowercase letters and digits (it goes into Azure names). */
  solution: string;
  /** What package.json depends on for streamkit: a version, or a tarball / folder (`file:…`). */
  streamkitSpec: string;
  /** Exact versions of the tools the app needs, as streamkit's own package.json pins them. */
  versions: { cdktf: string; constructs: string; cdktfCli: string; tsx: string; typescript: string; typesNode: string };
  /** cdktf.json's projectId. */
  projectId: string;
}

/** A solution name must fit Azure names once a 2-12 character environment prefix is added (storage: 24). */
export const SOLUTION_NAME = /^[a-z][a-z0-9]{1,9}$/;

export function scaffoldFiles(o: ScaffoldOptions): Record<string, string> {
  const s = o.solution;
  return {
    "package.json": json({
      name: o.project,
      version: "0.1.0",
      private: true,
      scripts: {
        synth: "node --require tsx/cjs main.ts",
        test: "streamkit test && node --require tsx/cjs --test test/synth.test.ts",
        "test:update": "streamkit test --update && UPDATE_SNAPSHOTS=1 node --require tsx/cjs --test test/synth.test.ts",
        check: `streamkit check queries/${s}/query.asaql --job queries/${s}/job.json`,
        policy: "streamkit policy cdktf.out",
        diff: "cdktf diff",
        deploy: "cdktf deploy",
      },
      dependencies: { cdktf: o.versions.cdktf, constructs: o.versions.constructs, streamkit: o.streamkitSpec },
      devDependencies: {
        "@types/node": o.versions.typesNode,
        "cdktf-cli": o.versions.cdktfCli,
        tsx: o.versions.tsx,
        typescript: o.versions.typescript,
      },
      // npm 11 blocks dependencies' install scripts until approved: these two only check or
      // fetch binaries that already arrive prebuilt (in the package or as optional dependencies).
      allowScripts: { "@cdktf/node-pty-prebuilt-multiarch": false, esbuild: false },
    }),
    "cdktf.json": json({
      language: "typescript",
      // cdktf-cli runs this for synth, diff and deploy alike; the preflight stops a diff or deploy
      // that lacks Terraform or an Azure login with one line, before terraform init.
      app: "node node_modules/streamkit/bin/streamkit preflight --cdktf-app && node --require tsx/cjs main.ts",
      projectId: o.projectId,
      sendCrashReports: "false",
      terraformProviders: [],
      terraformModules: [],
      context: {
        environments: {
          dev: {
            location: "westeurope",
            namePrefix: "dev",
            tags: { environment: "dev" },
            eventHubs: { sku: "Standard", capacity: 1, partitions: 2 },
            job: { sku: "StandardV2", streamingUnits: "1/3" },
            alerts: { emailReceivers: [], runtimeErrors: { threshold: 10, severity: 3 } },
          },
          prod: {
            location: "westeurope",
            namePrefix: "prod",
            tags: { environment: "prod" },
            lock: true,
            eventHubs: { sku: "Standard", capacity: 2, partitions: 4 },
            job: { sku: "StandardV2", streamingUnits: "1" },
            alerts: { emailReceivers: [], runtimeErrors: { threshold: 0, severity: 1 }, watermarkDelay: { threshold: 60, severity: 2 } },
          },
        },
      },
    }),
    "tsconfig.json": json({
      compilerOptions: {
        target: "ES2022",
        module: "commonjs",
        moduleResolution: "node",
        lib: ["ES2022"],
        strict: true,
        esModuleInterop: true,
        skipLibCheck: true,
        types: ["node"],
        noEmit: true,
      },
      include: ["main.ts", "test/**/*.ts"],
    }),
    ".gitignore": ["node_modules/", "cdktf.out/", "LocalRunOutputs/", ".gen/", ".terraform/", "terraform.*.tfstate*", ""].join("\n"),
    "main.ts": mainTs(s),
    [`queries/${s}/query.asaql`]: [
      "-- Readings per device and minute, archived to the data lake.",
      "SELECT",
      "    deviceId,",
      "    COUNT(*) AS readings,",
      "    AVG(temperature) AS avgTemperature,",
      "    System.Timestamp() AS windowEnd",
      "INTO lake",
      "FROM events TIMESTAMP BY eventTime",
      "GROUP BY deviceId, TumblingWindow(minute, 1)",
      "",
    ].join("\n"),
    [`queries/${s}/tests/per-minute/case.json`]: json({ description: "two devices, two minutes: one row per device and minute, at the minute's end" }),
    [`queries/${s}/tests/per-minute/inputs/events.json`]: jsonLines([
      { deviceId: "d1", temperature: 20, eventTime: "2026-01-01T10:00:05Z" },
      { deviceId: "d1", temperature: 22, eventTime: "2026-01-01T10:00:35Z" },
      { deviceId: "d2", temperature: 30, eventTime: "2026-01-01T10:00:50Z" },
      { deviceId: "d1", temperature: 25, eventTime: "2026-01-01T10:01:10Z" },
    ]),
    [`queries/${s}/tests/per-minute/expected/lake.json`]: jsonLines([
      { deviceId: "d1", readings: 2, avgTemperature: 21, windowEnd: "2026-01-01T10:01:00.0000000Z" },
      { deviceId: "d2", readings: 1, avgTemperature: 30, windowEnd: "2026-01-01T10:01:00.0000000Z" },
      { deviceId: "d1", readings: 1, avgTemperature: 25, windowEnd: "2026-01-01T10:02:00.0000000Z" },
    ]),
    "test/synth.test.ts": synthTestTs(s),
    "README.md": readme(o),
  };
}

function mainTs(s: string): string {
  return `// The cdktf app: one ${s} stack per environment of cdktf.json (\`npx cdktf synth\` or \`npm run synth\`).
// Events arrive in Event Hubs, a Stream Analytics job runs queries/${s}/query.asaql over them, and
// writes its rows to an ADLS Gen2 container. The job model also goes to queries/${s}/job.json,
// so \`streamkit check\` and \`streamkit test\` run the query against the job that is deployed.
import { join } from "node:path";
import { App } from "cdktf";
import type { Construct } from "constructs";
import { EventHubsNamespace, StreamingPipeline, StreamkitStorage } from "streamkit/constructs";
import { SolutionStack, loadEnvironments, type SolutionStackProps } from "streamkit/stacks";

export const QUERY = "queries/${s}/query.asaql";
export const JOB_FILE = "queries/${s}/job.json";

export class PipelineStack extends SolutionStack {
  readonly pipeline: StreamingPipeline;

  constructor(scope: Construct, id: string, props: SolutionStackProps) {
    super(scope, id, "${s}", props);
    const env = this.settings;
    const prefix = env.namePrefix;
    const eventHubs = new EventHubsNamespace(this, "event-hubs", {
      ...this.common,
      name: \`evhns-\${prefix}-${s}\`,
      sku: env.eventHubs.sku,
      capacity: env.eventHubs.capacity,
      hubs: [{ name: "events", partitionCount: env.eventHubs.partitions, retentionDays: 1 }],
    });
    const lake = new StreamkitStorage(this, "lake", {
      ...this.common,
      name: \`st\${prefix}${s}\`,
      replication: env.zoneRedundant ? "ZRS" : "LRS",
      containers: ["archive"],
    });
    const job = this.jobSettings;
    this.pipeline = new StreamingPipeline(this, "pipeline", {
      ...this.common,
      name: \`asa-\${prefix}-${s}\`,
      projectDir: this.projectDir,
      query: QUERY,
      sku: job.sku,
      streamingUnits: job.streamingUnits,
      alerts: job.alerts,
      eventOrdering: { lateArrivalMaxDelaySeconds: 5, outOfOrderMaxDelaySeconds: 5, policy: "adjust" },
      sources: { events: { from: eventHubs.hubs.events!, serialization: { type: "json" } } },
      sinks: { lake: { to: lake, container: "archive", format: "json", pathPattern: "${s}/{date}/{time}" } },
    });
  }
}

/** One stack per environment: \`${s}-dev\`, \`${s}-prod\`, … */
export function addStacks(app: App, projectDir: string): PipelineStack[] {
  return Object.entries(loadEnvironments(projectDir)).map(
    ([environment, settings]) => new PipelineStack(app, \`${s}-\${environment}\`, { environment, settings, projectDir }),
  );
}

if (require.main === module) {
  try {
    const app = new App();
    const stacks = addStacks(app, __dirname);
    app.synth();
    stacks[0]?.pipeline.job.writeJobFile(join(__dirname, JOB_FILE));
  } catch (error) {
    // streamkit's errors say where they are (a query's file:line:col, a cdktf.json path).
    process.stderr.write(\`synth failed: \${(error as { describe?: () => string }).describe?.() ?? (error as Error).message}\\n\`);
    process.exitCode = 1;
  }
}
`;
}

function synthTestTs(s: string): string {
  return `// The synthesized stack, reviewed like code: its snapshot is test/__snapshots__/${s}-dev.json
// (\`npm run test:update\` rewrites it after a change you meant), and what must hold whatever else changes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { addStacks } from "../main";

test("the dev stack: Event Hubs → job → ADLS, as reviewed", () => {
  const app = Testing.app();
  try {
    const stack = addStacks(app, join(__dirname, "..")).find((s) => s.environment === "dev")!;
    const synthesized = JSON.parse(Testing.synth(stack));
    const resources = synthesized.resource as Record<string, Record<string, Record<string, unknown>>>;

    const [job] = Object.values(resources.azurerm_stream_analytics_job ?? {});
    assert.ok(job, "the stack has a Stream Analytics job");
    assert.equal(job.name, "asa-dev-${s}");
    assert.match(String(job.transformation_query), /FROM events TIMESTAMP BY eventTime/);
    assert.equal(Object.keys(resources.azurerm_stream_analytics_stream_input_eventhub_v2 ?? {}).length, 1);
    assert.equal(Object.keys(resources.azurerm_stream_analytics_output_blob ?? {}).length, 1);

    const file = join(__dirname, "__snapshots__", "${s}-dev.json");
    const text = JSON.stringify(synthesized, null, 2) + "\\n";
    if (process.env.UPDATE_SNAPSHOTS === "1" || !existsSync(file)) {
      mkdirSync(join(__dirname, "__snapshots__"), { recursive: true });
      writeFileSync(file, text);
    } else {
      assert.equal(text, readFileSync(file, "utf8"), "the synthesized stack changed: review it, then npm run test:update");
    }
  } finally {
    rmSync(app.outdir, { recursive: true, force: true });
  }
});
`;
}

function readme(o: ScaffoldOptions): string {
  const s = o.solution;
  return `# ${o.project}

A streaming solution declared with [cdktf](https://developer.hashicorp.com/terraform/cdktf) and
streamkit: events arrive in Event Hubs, a Stream Analytics job runs
\`queries/${s}/query.asaql\`, and its rows land in an ADLS Gen2 container. One stack per
environment of \`cdktf.json\` (\`${s}-dev\`, \`${s}-prod\`).

## Next commands

\`\`\`sh
npm install                  # once
npm run synth                # cdktf.out/stacks/<stack>/cdk.tf.json and queries/${s}/job.json
npx cdktf synth              # the same, through cdktf-cli
npx streamkit check queries/${s}/query.asaql --job queries/${s}/job.json
npx streamkit test           # the query's test cases (queries/${s}/tests/)
npx streamkit policy cdktf.out
npm test                     # query tests + the synth snapshot test
npx cdktf diff ${s}-dev      # stops in one line when Terraform or an Azure login is missing
npx cdktf deploy ${s}-dev    # the same way; or \`npx streamkit deploy --stack ${s}-dev\`
\`\`\`

Run the query on your own events: \`npx streamkit run --job queries/${s}/job.json --input events=my-events.json\`
(one output: its rows go to standard output as JSON lines).

## Where things are

| path | what |
|---|---|
| \`main.ts\` | the stack: Event Hubs namespace and hub \`events\`, storage account with container \`archive\`, the job |
| \`cdktf.json\` | \`context.environments\`: location, name prefix, SKUs, streaming units, alerts per environment; add \`backend\` (resourceGroupName, storageAccountName, containerName) for remote state |
| \`queries/${s}/query.asaql\` | the job's query: its inputs and outputs are the aliases in \`main.ts\` (\`events\`, \`lake\`) |
| \`queries/${s}/tests/<case>/\` | a test case: \`inputs/events.json\`, \`expected/lake.json\`, \`case.json\` |
| \`test/synth.test.ts\` | the synthesized dev stack: assertions and a reviewed snapshot |

A query that does not check against the job's inputs and outputs fails \`cdktf synth\` with its
\`file:line:col\`.
`;
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

function jsonLines(rows: unknown[]): string {
  return rows.map((row) => JSON.stringify(row)).join("\n") + "\n";
}
