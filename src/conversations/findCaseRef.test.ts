import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../errors.js";
import { compileCaseRefPattern } from "./compileCaseRefPattern.js";
import { CASE_REF_SCAN_LIMIT, DEFAULT_CASE_REF_PATTERN, findCaseRef } from "./findCaseRef.js";

describe("findCaseRef", () => {
  it.each([
    ["Re: your application LN-7781 (follow-up)", "LN-7781"],
    ["LN-7781", "LN-7781"],
    ["(LN-7781)", "LN-7781"],
    ["case:ABCDEF-123456", "ABCDEF-123456"],
    ["Ticket #12345 is still open", "#12345"],
    ["#1234", "#1234"],
    ["first #5555 then LN-100", "#5555"],
    ["first LN-100 then #5555", "LN-100"],
    ["ref-LN-7781", "LN-7781"],
  ])("finds the first reference in %j", (text, expected) => {
    expect(findCaseRef(text)).toBe(expected);
  });

  it.each([
    "nothing here",
    "ln-7781",
    "L-7781",
    "ABCDEFG-7781",
    "LN-77",
    "LN-7781x",
    "XLN7781",
    "#123",
    "page#12345",
    "&#12345;",
    "#12345abc",
    "Call 555-1234",
    "",
  ])("finds nothing in %j", (text) => {
    expect(findCaseRef(text)).toBeNull();
  });

  it("upper-cases matches of a case-insensitive pattern", () => {
    expect(findCaseRef("see ln-7781", /[a-z]{2}-\d+/i)).toBe("LN-7781");
  });

  it("returns the named group `ref` when the pattern has one", () => {
    expect(findCaseRef("case ab/991", /case (?<ref>[a-z]+\/\d+)/)).toBe("AB/991");
    expect(findCaseRef("Sprawa nr 77/2026", "nr (?<ref>\\d+/\\d{4})")).toBe("77/2026");
  });

  it("compiles a string pattern", () => {
    expect(findCaseRef("order Q-17 shipped", "Q-\\d+")).toBe("Q-17");
    expect(() => findCaseRef("x", "(")).toThrow(InvalidInputError);
  });

  it("skips empty matches", () => {
    expect(findCaseRef("aaa yy", "y*")).toBe("YY");
    expect(findCaseRef("aaa", "y*")).toBeNull();
  });

  it("is safe with global and sticky patterns: repeated calls give the same answer", () => {
    const global = /[A-Z]{2}-\d{3,}/g;
    const sticky = /[A-Z]{2}-\d{3,}/y;
    for (let i = 0; i < 3; i++) {
      expect(findCaseRef("x AB-123 y", global)).toBe("AB-123");
      expect(findCaseRef("x AB-123 y", sticky)).toBe("AB-123");
    }
    expect(global.lastIndex).toBe(0);
    global.lastIndex = 5;
    expect(findCaseRef("AB-123", global)).toBe("AB-123");
    expect(global.lastIndex).toBe(5);
  });

  it("the default pattern is not global", () => {
    expect(DEFAULT_CASE_REF_PATTERN.global).toBe(false);
    expect(DEFAULT_CASE_REF_PATTERN.sticky).toBe(false);
  });

  it("finds any embedded reference surrounded by spaces", () => {
    const letters = fc.stringMatching(/^[A-Z]{2,6}$/);
    const digits = fc.stringMatching(/^[0-9]{3,9}$/);
    const filler = fc.stringMatching(/^[a-z ]{0,20}$/);
    fc.assert(
      fc.property(filler, letters, digits, filler, (before, prefix, number, after) => {
        expect(findCaseRef(`${before} ${prefix}-${number} ${after}`)).toBe(`${prefix}-${number}`);
        if (number.length >= 4) expect(findCaseRef(`${before} #${number} ${after}`)).toBe(`#${number}`);
      }),
    );
  });
});

describe("case reference patterns", () => {
  const problem = (pattern: RegExp | string): unknown => {
    try {
      compileCaseRefPattern(pattern);
      return null;
    } catch (error) {
      return error;
    }
  };

  it.each(["(", "[a-", "a{2,1}", "(?<ref>x"])("rejects the invalid pattern %j with invalid_input", (pattern) => {
    const error = problem(pattern);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).details[0]).toMatchObject({ path: ["caseRefPattern"], code: "invalid_value" });
    expect(() => findCaseRef("text", pattern)).toThrow(InvalidInputError);
  });

  it.each([
    "(a+)+$",
    "(\\w*)*x",
    "(?:a|b+)*",
    "((ab)+)+",
    "(a{2,})+",
    "(?<ref>\\d+)+",
    "(x+){3}",
    "((?:[A-Z]+-)*\\d)+",
  ])("rejects nested quantifiers in %j (catastrophic backtracking)", (pattern) => {
    const error = problem(pattern);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).details[0]?.message).toMatch(/repeat a group that itself repeats/);
    expect(problem(new RegExp(pattern))).toBeInstanceOf(InvalidInputError);
  });

  it.each([
    "(ab)+",
    "a+b+",
    "(a|b)+",
    "[a+]+",
    "\\(a+\\)+",
    "(a+)?",
    "(a+){1}",
    "(?<ref>[A-Z]{2,6}-\\d{3,})",
    "case (?<ref>[a-z]+/\\d+)",
    "[(]a+[)]+",
    "\\p{L}+(?:-\\d+)?",
  ])("accepts %j", (pattern) => {
    expect(problem(pattern)).toBeNull();
  });

  it("runs the compileCaseRefPattern JSDoc example as written", () => {
    expect(compileCaseRefPattern("case (?<ref>[a-z]+/\\d+)").flags).toBe("g");
    expect(() => compileCaseRefPattern("(")).toThrow(/caseRefPattern: is not a valid regular expression/);
    expect(() => compileCaseRefPattern("(a+)+$")).toThrow(
      /caseRefPattern: must not repeat a group that itself repeats/,
    );
  });

  it("accepts the default pattern and compiles each pattern once", () => {
    expect(problem(DEFAULT_CASE_REF_PATTERN)).toBeNull();
    expect(compileCaseRefPattern("case-\\d+")).toBe(compileCaseRefPattern("case-\\d+"));
    const regexp = /ref (\d+)/i;
    expect(compileCaseRefPattern(regexp)).toBe(compileCaseRefPattern(regexp));
    expect(compileCaseRefPattern(regexp).flags).toBe("gi");
  });

  it("rejects a pattern that is neither a string nor a RegExp, and a non-string text", () => {
    expect((problem(42 as never) as InvalidInputError).details[0]?.code).toBe("invalid_type");
    expect(() => findCaseRef(null as never)).toThrow(InvalidInputError);
  });

  it(`only searches the first ${CASE_REF_SCAN_LIMIT} characters`, () => {
    const filler = "x".repeat(CASE_REF_SCAN_LIMIT - 10);
    expect(findCaseRef(`${filler} LN-7781`)).toBe("LN-7781");
    expect(findCaseRef(`${filler}${" ".repeat(20)}LN-7781`)).toBeNull();
    // A user pattern sees no more than the bound either: its match count is bounded by it.
    expect(findCaseRef(`${"a ".repeat(CASE_REF_SCAN_LIMIT)}case-1`, "case-\\d")).toBeNull();
  });

  it("is rejected at construction as an option, naming the field", async () => {
    const { createCustomerContext } = await import("../context.js");
    for (const caseRefPattern of ["(", "(a+)+"]) {
      let caught: unknown;
      try {
        createCustomerContext({ conversations: { caseRefPattern } });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InvalidInputError);
      expect((caught as InvalidInputError).details[0]?.path).toEqual(["conversations", "caseRefPattern"]);
    }
  });
});
