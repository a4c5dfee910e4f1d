import { describe, expect, it } from "vitest";
import { isCustomerContextError } from "../../errors.js";
import { loadDriver } from "./loadDriver.js";

describe("loadDriver", () => {
  it("loads an installed driver", () => {
    expect(typeof loadDriver<unknown>("sqlite", "better-sqlite3")).toBe("function");
    expect(typeof loadDriver<{ Pool: unknown }>("postgres", "pg").Pool).toBe("function");
  });

  it("names the missing driver and how to install it", () => {
    let caught: unknown;
    try {
      loadDriver("sqlite", "better-sqlite3-not-installed");
    } catch (error) {
      caught = error;
    }
    expect(isCustomerContextError(caught, "adapter_invalid")).toBe(true);
    expect(String((caught as Error).message)).toContain('Storage adapter "sqlite"');
    expect(String((caught as Error).message)).toContain("npm install better-sqlite3-not-installed");
  });
});
