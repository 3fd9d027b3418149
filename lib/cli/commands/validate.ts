import type { Command } from "commander";
import { loadJobFile } from "../../job";

/** `streamkit validate job.json`: is this job file well-formed? */
export function registerJobValidate(program: Command): void {
  program
    .command("validate")
    .description("validate a job file (inputs, outputs, policies) and report each mistake with its JSON path")
    .argument("<job.json>", "the job file")
    .action((file: string) => {
      const job = loadJobFile(file);
      process.stdout.write(
        `${file}: ok (job '${job.spec.name}', ${job.spec.inputs.length} input(s), ${job.spec.outputs.length} output(s))\n`,
      );
    });
}
