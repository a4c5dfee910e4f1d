import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { identifierKey } from "./identifierKey.js";
import { parseIdentifierKey } from "./parseIdentifierKey.js";

describe("identifierKey / parseIdentifierKey", () => {
  it("joins type and value with a colon, values may contain colons", () => {
    expect(identifierKey({ type: "email", value: "jan@example.com" })).toBe("email:jan@example.com");
    expect(parseIdentifierKey("url:https://x.pl:8080/a")).toEqual({ type: "url", value: "https://x.pl:8080/a" });
  });

  it("round-trips for type names without a colon", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.-]{0,20}$/), fc.string({ minLength: 1 }), (type, value) => {
        expect(parseIdentifierKey(identifierKey({ type, value }))).toEqual({ type, value });
      }),
    );
  });

  it.each(["nocolon", ":value", "type:", ""])("rejects the malformed key %j", (key) => {
    expect(() => parseIdentifierKey(key)).toThrow(TypeError);
  });
});
