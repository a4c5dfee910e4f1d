import { describe, expect, it } from "vitest";
import { z } from "zod";
import { InvalidInputError } from "../errors.js";
import { parseInput } from "./parse.js";

const Input = z.strictObject({
  name: z.string().min(1),
  tags: z.array(z.string()).max(2),
  direction: z.enum(["inbound", "outbound"]),
  nested: z.object({ count: z.number().int().min(0, "must not be negative") }).optional(),
});

function issuesOf(input: unknown) {
  try {
    parseInput(Input, input, "thing");
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as InvalidInputError).details;
  }
  throw new Error("expected the input to be rejected");
}

describe("parseInput", () => {
  it("reports each issue with an array path, a zod-style code and one sentence of our own", () => {
    expect(issuesOf({ name: "", tags: ["a", "b", "c"], direction: "up", nested: { count: -1 }, colour: 1 })).toEqual([
      { path: ["name"], code: "too_small", message: "must not be empty" },
      { path: ["tags"], code: "too_big", message: "must have at most 2 items" },
      { path: ["direction"], code: "invalid_value", message: 'must be one of "inbound", "outbound"' },
      { path: ["nested", "count"], code: "too_small", message: "must not be negative" },
      { path: ["colour"], code: "unrecognized_key", message: 'unknown key "colour"' },
    ]);
  });

  it("says what was expected and what came, and names a missing field as required", () => {
    expect(issuesOf({ name: 5, tags: [1], direction: "inbound" })).toEqual([
      { path: ["name"], code: "invalid_type", message: "must be a string, not a number" },
      { path: ["tags", 0], code: "invalid_type", message: "must be a string, not a number" },
    ]);
    expect(issuesOf({ tags: [], direction: "inbound" })).toEqual([
      { path: ["name"], code: "invalid_type", message: "is required" },
    ]);
  });

  it("writes the path the way people read it in the error message", () => {
    const error = (() => {
      try {
        parseInput(Input, { name: "x", tags: [7], direction: "inbound" }, "thing");
      } catch (e) {
        return e as InvalidInputError;
      }
      return undefined;
    })();
    expect(error?.message).toBe("Invalid thing: tags[0]: must be a string, not a number");
  });
});
