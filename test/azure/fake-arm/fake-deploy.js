// Stands in for `cdktf deploy <stack> --auto-approve` in deploy tests: records the stack and
// the jobs' states as the fake ARM sees them *during* the deploy, then exits with
// $FAKE_DEPLOY_EXIT (default 0).
const { appendFileSync } = require("node:fs");

async function main() {
  const stack = process.argv[2];
  const response = await fetch(`${process.env.STREAMKIT_ARM_ENDPOINT}/_fake/jobs`).catch(() => undefined);
  const jobs = response ? await response.json() : [];
  const states = Object.fromEntries(jobs.map((job) => [job.name, job.jobState]));
  appendFileSync(process.env.FAKE_DEPLOY_LOG, JSON.stringify({ stack, states }) + "\n");
  process.stdout.write(`fake deploy of ${stack}\n`);
  const sleep = Number(process.env.FAKE_DEPLOY_SLEEP_MS ?? "0");
  if (sleep > 0) await new Promise((resolve) => setTimeout(resolve, sleep));
  process.exitCode = Number(process.env.FAKE_DEPLOY_EXIT ?? "0");
}

main();
