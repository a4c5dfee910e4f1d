/**
 * The `customer-context` executable. All logic lives in `program.ts`; this file only runs it.
 *
 * @module
 */
import { runCli } from "./program.js";

runCli(process.argv).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(
      `customer-context: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 2;
  },
);
