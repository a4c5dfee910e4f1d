import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isCustomerContextError } from "../../errors.js";
import { normalizeIdentifier } from "./normalizeIdentifier.js";

const knownTypes = ["email", "phone", "crmId"] as const;

describe("normalizeIdentifier with knownTypes (identity.strictTypes)", () => {
  it("normalises a listed type as without the option", () => {
    expect(normalizeIdentifier({ type: "email", value: " Jan@X.PL " }, { knownTypes })).toEqual(
      normalizeIdentifier({ type: "email", value: " Jan@X.PL " }),
    );
  });

  it("throws invalid_input naming the type for anything else, case-sensitively", () => {
    for (const type of ["emial", "Email", "phone ", "crmid", "toString", "__proto__"]) {
      let caught: unknown;
      try {
        normalizeIdentifier({ type, value: "x" }, { knownTypes });
      } catch (error) {
        caught = error;
      }
      expect(isCustomerContextError(caught, "invalid_input"), type).toBe(true);
      expect((caught as { details: unknown }).details).toEqual([
        {
          path: ["type"],
          code: "invalid_value",
          message: `unknown identifier type ${JSON.stringify(type)} (accepted: email, phone, crmId)`,
        },
      ]);
    }
  });

  it("accepts exactly the listed types", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 12 }),
        fc.string({ minLength: 1, maxLength: 12 }),
        (type, value) => {
          const listed = (knownTypes as readonly string[]).includes(type);
          let threw = false;
          try {
            normalizeIdentifier({ type, value }, { knownTypes });
          } catch {
            threw = true;
          }
          expect(threw).toBe(!listed);
        },
      ),
    );
  });
});
