import fc from "fast-check";
import { describe, expect, it } from "vitest";
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
