import { createRequire } from "node:module";
import { AdapterInvalidError } from "../../errors.js";

const requireDriver = createRequire(import.meta.url);

/**
 * Loads a database driver (an optional peer dependency) when an adapter is created, not when its
 * module is imported, so that importing `customer-context/sqlite` without better-sqlite3 installed
 * does not fail with a bare `MODULE_NOT_FOUND`, and creating the adapter names what to install.
 *
 * @param adapter the adapter's name, for the error
 * @param driver the driver package (`better-sqlite3`, `pg`)
 * @returns the driver's CommonJS export
 * @throws {AdapterInvalidError} `adapter_invalid` naming the missing driver and how to install it
 */
export function loadDriver<T>(adapter: string, driver: string): T {
  try {
    return requireDriver(driver) as T;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === "MODULE_NOT_FOUND" && String((error as Error).message).includes(`'${driver}'`)) {
      throw new AdapterInvalidError(adapter, [
        `the "${driver}" driver, an optional peer dependency of customer-context; install it with \`npm install ${driver}\``,
      ]);
    }
    throw error;
  }
}
