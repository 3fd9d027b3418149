// T-SQL a database administrator runs once so the job can write its SQL and Synapse outputs.
// Terraform cannot run it (it needs an Entra admin connection to the database), so the job
// publishes it as a Terraform output.
// - Azure SQL, managed identity: a contained user from the job's identity, named like the job,
//   with SELECT (connection test) and INSERT on each table (sql-database-output-managed-identity.md).
// - Synapse, SQL authentication (the only kind azurerm offers): a contained user with a password,
//   which the administrator types in; the kit never writes the password.
import type { TableSpec } from "../../lib/job";

export interface SqlSetupTarget {
  kind: "sql" | "synapse";
  /** The database (SQL) or dedicated pool (Synapse), for the comment. */
  database: string;
  table: TableSpec;
  /** Synapse: the user the output signs in as. */
  user?: string;
}

/** `[name]` with `]` doubled, as T-SQL quotes identifiers. */
export function quoteName(name: string): string {
  return `[${name.replace(/]/g, "]]")}]`;
}

/** `schema.table` → `[schema].[table]`; a bare name stays in the default schema. */
export function quoteTable(name: string): string {
  return name.split(".").map(quoteName).join(".");
}

export function sqlSetupScript(jobName: string, targets: SqlSetupTarget[]): string {
  const lines: string[] = [];
  const created = new Set<string>();
  for (const target of targets) {
    const principal = target.kind === "sql" ? jobName : (target.user ?? jobName);
    const key = `${target.kind}:${target.database}:${principal}`;
    if (!created.has(key)) {
      created.add(key);
      lines.push(`-- ${target.kind === "sql" ? "Azure SQL database" : "Synapse dedicated pool"} ${target.database}`);
      lines.push(
        target.kind === "sql"
          ? `CREATE USER ${quoteName(principal)} FROM EXTERNAL PROVIDER;`
          : `CREATE USER ${quoteName(principal)} WITH PASSWORD = '<the value of the job's Synapse password variable>';`,
      );
    }
    lines.push(`GRANT SELECT, INSERT ON OBJECT::${quoteTable(target.table.name)} TO ${quoteName(principal)};`);
  }
  return lines.join("\n");
}
