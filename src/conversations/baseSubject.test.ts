import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../errors.js";
import { scanSubject } from "./_lib/scanSubject.js";
import { subjectPatterns } from "./_lib/subjectPatterns.js";
import { baseSubject, DEFAULT_SUBJECT_PREFIXES } from "./baseSubject.js";

describe("baseSubject", () => {
  it.each([
    ["Order 123", "Order 123"],
    ["Re: Order 123", "Order 123"],
    ["RE:Order 123", "Order 123"],
    ["re : Order 123", "Order 123"],
    ["Fw: Order 123", "Order 123"],
    ["FWD: Order 123", "Order 123"],
    ["Re: Re: Fwd: Order 123", "Order 123"],
    ["Re[2]: Order 123", "Order 123"],
    ["Re^3: Order 123", "Order 123"],
    ["Re(4): Order 123", "Order 123"],
    ["Re [list]: Order 123", "Order 123"],
    ["Order 123 (fwd)", "Order 123"],
    ["Order 123 (FWD) (fwd)  ", "Order 123"],
    ["[support] Order 123", "Order 123"],
    ["[support] Re: [support] Order 123", "Order 123"],
    ["[support]", "[support]"],
    ["[a][b] Order", "Order"],
    ["[Fwd: Order 123]", "Order 123"],
    ["[fwd: Re: [list] Order 123] (fwd)", "Order 123"],
    ["Re: [Fwd: Re: Order 123]", "Order 123"],
    ["  Order \t  123\r\n ", "Order 123"],
    ["Re:", ""],
    ["", ""],
    ["Re: Re:  ", ""],
  ])("RFC 5256: %j -> %j", (subject, expected) => {
    expect(baseSubject(subject)).toBe(expected);
  });

  it.each([
    ["AW: Vertrag", "Vertrag"],
    ["WG: Vertrag", "Vertrag"],
    ["Odp: Umowa", "Umowa"],
    ["PD: Umowa", "Umowa"],
    ["Ответ: Договор", "Договор"],
    ["Отв: Договор", "Договор"],
    ["Пересл: Договор", "Договор"],
    ["На: Договор", "Договор"],
    ["на: договор", "договор"],
    ["Réf : Contrat", "Contrat"],
    ["RÉP: Contrat", "Contrat"],
    ["TR: Contrat", "Contrat"],
    ["RV: Contrato", "Contrato"],
    ["R: Contratto", "Contratto"],
    ["SV: Avtal", "Avtal"],
    ["VS: Sopimus", "Sopimus"],
    ["Antw: Contract", "Contract"],
    ["Doorst: Contract", "Contract"],
    ["回复：合同", "合同"],
    ["转发: 合同", "合同"],
    ["Re：Order", "Order"],
    ["AW：WG：Re[2]：Vertrag", "Vertrag"],
  ])("localised: %j -> %j", (subject, expected) => {
    expect(baseSubject(subject)).toBe(expected);
  });

  it("matches decomposed accents (NFC)", () => {
    expect(baseSubject("Re\u0301f: Contrat")).toBe("Contrat");
  });

  it.each([
    "Rate: 5%",
    "Ring: broken",
    "Nachricht: hallo",
    "Name: Jan",
    "Revision: 2",
    "Project R: launch",
    "RE2: launch",
    "Svar på brev",
    "Reminder",
    "Na zdrowie",
  ])("leaves %j alone: short prefixes only match as whole prefixes before a colon", (subject) => {
    expect(baseSubject(subject)).toBe(subject);
  });

  it("replaces the prefix list with options.subjectPrefixes", () => {
    expect(baseSubject("SV: Hei", { subjectPrefixes: ["Re"] })).toBe("SV: Hei");
    expect(baseSubject("Re: SV: Hei", { subjectPrefixes: ["Re"] })).toBe("SV: Hei");
    expect(baseSubject("Rif: Contratto", { subjectPrefixes: [...DEFAULT_SUBJECT_PREFIXES, "Rif"] })).toBe("Contratto");
    expect(baseSubject("Re: x", { subjectPrefixes: [] })).toBe("Re: x");
    expect(baseSubject("a.b: x", { subjectPrefixes: ["a.b"] })).toBe("x");
    expect(baseSubject("axb: x", { subjectPrefixes: ["a.b"] })).toBe("axb: x");
  });

  it("still unwraps [Fwd: …] with a custom list (RFC syntax)", () => {
    expect(baseSubject("[Fwd: Hei]", { subjectPrefixes: ["Re"] })).toBe("Hei");
  });

  const word = fc.stringMatching(/^[A-Za-z0-9ąęłżźćńóś]{1,8}$/);
  const core = fc
    .array(word, { minLength: 1, maxLength: 5 })
    .map((words) => words.join(" "))
    .filter((s) => baseSubject(s) === s);
  const prefix = fc.constantFrom(
    "Re: ",
    "RE:",
    "Fwd: ",
    "AW: ",
    "Odp: ",
    "Ответ: ",
    "回复：",
    "Re[2]: ",
    "Re^3: ",
    "[list] ",
    "SV：",
    "R: ",
  );

  it("strips any stack of prefixes and trailers from a base subject", () => {
    fc.assert(
      fc.property(core, fc.array(prefix, { maxLength: 5 }), fc.nat(2), (base, prefixes, trailers) => {
        const subject = `${prefixes.join("")}${base}${" (fwd)".repeat(trailers)}`;
        expect(baseSubject(subject)).toBe(base);
      }),
    );
  });

  it("is idempotent and never throws", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60, unit: "grapheme" }), (subject) => {
        const once = baseSubject(subject);
        expect(baseSubject(once)).toBe(once);
      }),
    );
  });

  it("handles long stacks of prefixes, blobs and trailers", () => {
    const long = `${"Re: ".repeat(2000)}${"[x] ".repeat(2000)}subject ${"(fwd) ".repeat(2000)}`;
    expect(baseSubject(long)).toBe("subject");
  });
});

/** The earlier regex-loop implementation (quadratic on blobs), kept as an oracle for small inputs. */
function referenceBaseSubject(subject: string, prefixes: readonly string[] = DEFAULT_SUBJECT_PREFIXES): string {
  const alt = [...new Set(prefixes.map((p) => p.normalize("NFC").trim()).filter((p) => p.length > 0))]
    .sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0))
    .map((p) => p.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&"))
    .join("|");
  const BLOB = String.raw`\[[^\[\]]*\]`;
  const leader =
    alt.length === 0
      ? null
      : new RegExp(String.raw`^(?:${BLOB}\s*)*(?:${alt})\s*(?:${BLOB}|\^\d+|\(\d+\))?\s*[:\uFF1A]\s*`, "iu");
  const wrapperRe = new RegExp(String.raw`^\[\s*(?:fwd${alt.length > 0 ? `|${alt}` : ""})\s*[:\uFF1A]\s*`, "iu");
  let s = subject.normalize("NFC").replace(/\s+/gu, " ").trim();
  for (;;) {
    for (;;) {
      const t = s.trimEnd();
      if (t.toLowerCase().endsWith("(fwd)")) s = t.slice(0, -5);
      else {
        s = t;
        break;
      }
    }
    for (;;) {
      const before = s;
      let m = leader?.exec(s) ?? null;
      while (m !== null && m[0].length > 0) {
        s = s.slice(m[0].length);
        m = leader?.exec(s) ?? null;
      }
      const blob = /^\[[^[\]]*\]\s*/u.exec(s);
      if (blob !== null && blob[0].length < s.length) s = s.slice(blob[0].length);
      if (s === before) break;
    }
    const w = s.endsWith("]") ? wrapperRe.exec(s) : null;
    if (w === null || w[0].length >= s.length) return s;
    s = s.slice(w[0].length, -1).trim();
  }
}

describe("baseSubject against the earlier implementation", () => {
  const token = fc.constantFrom(
    "Re:",
    "re :",
    "Fwd:",
    "AW：",
    "Re[2]:",
    "Re^3:",
    "Re(4):",
    "Re [x]:",
    "[x]",
    "[list]",
    "[",
    "]",
    "[Fwd:",
    "[fwd: ",
    "(fwd)",
    "(FWD)",
    " ",
    "\t",
    "Order",
    "123",
    "R",
    ":",
    "Rate:",
  );
  it("gives the same base subject on random token soups", () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 14 }), fc.boolean(), (tokens, spaced) => {
        const subject = tokens.join(spaced ? " " : "");
        expect(baseSubject(subject)).toBe(referenceBaseSubject(subject));
        expect(baseSubject(subject, { subjectPrefixes: ["Re"] })).toBe(referenceBaseSubject(subject, ["Re"]));
      }),
      { numRuns: 1000 },
    );
  });
});

describe("baseSubject is linear", () => {
  const work = (subject: string): number => {
    const meter = { steps: 0 };
    scanSubject(subject, subjectPatterns(DEFAULT_SUBJECT_PREFIXES), meter);
    return meter.steps;
  };
  it.each([
    ["[x] blobs", (n: number) => "[x]".repeat(n)],
    ["spaced blobs before text", (n: number) => `${"[x] ".repeat(n)}subject`],
    ["prefixes", (n: number) => `${"Re: ".repeat(n)}subject`],
    ["blob-prefix pairs", (n: number) => `${"[x] Re: ".repeat(n)}subject`],
    ["unclosed blobs", (n: number) => "[x".repeat(n)],
    ["counted prefixes without a colon", (n: number) => "Re[2]".repeat(n)],
    ["nested forward wrappers", (n: number) => `${"[Fwd: ".repeat(n)}subject${"]".repeat(n)}`],
    ["trailers", (n: number) => `subject${" (fwd)".repeat(n)}`],
  ])("counts work proportional to the length for %s", (_name, make) => {
    const small = work(make(1000));
    const large = work(make(10_000));
    // Linear: ten times the input is about ten times the work (a quadratic scan would be 100x).
    expect(large).toBeLessThanOrEqual(small * 11);
    expect(large).toBeLessThanOrEqual(make(10_000).length * 8);
  });

  it("strips a 100 kB subject of [x] blobs to the last blob", () => {
    expect(baseSubject("[x]".repeat(34_000))).toBe("[x]");
    expect(baseSubject(`${"[x]".repeat(34_000)} Re: done`)).toBe("done");
  });
});

describe("baseSubject input checks", () => {
  it.each([
    [null, undefined, ["subject"]],
    [42, undefined, ["subject"]],
    ["ok", { subjectPrefixes: "Re" }, ["options", "subjectPrefixes"]],
    ["ok", { subjectPrefixes: ["Re", 7] }, ["options", "subjectPrefixes", 1]],
    ["ok", "Re", ["options"]],
  ])("rejects %j / %j with a typed error naming the field", (subject, options, path) => {
    let caught: unknown;
    try {
      baseSubject(subject as never, options as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidInputError);
    expect((caught as InvalidInputError).details[0]?.path).toEqual(path);
  });
});
