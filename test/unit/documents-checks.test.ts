import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ageOn,
  automaticChecks,
  checkFullName,
  checkPassportNumber,
  checkResidentId,
  normaliseDocumentNumber,
  residentIdCheckChar,
} from "#lib/documents/checks";
import { maskName } from "#lib/privacy/masks";

const today = new Date("2026-11-23T12:00:00Z");
const withCheck = (first17: string) => `${first17}${residentIdCheckChar(first17)}`;

describe("PRC resident ID checks", () => {
  it("computes the ISO 7064 MOD 11-2 check character of published examples", () => {
    expect(residentIdCheckChar("11010519491231002")).toBe("X");
    expect(residentIdCheckChar("44052418800101001")).toBe("4");
    expect(checkResidentId("11010519491231002X", today)).toBeUndefined();
  });

  it("accepts every number built with its own check character, and no other final character", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 9 }), (seq, wrong) => {
        const number = withCheck(`11010119900307${String(seq).padStart(3, "0")}`);
        expect(checkResidentId(number, today)).toBeUndefined();
        const other = String(wrong) === number[17] ? "X" : String(wrong); // never the right character
        expect(checkResidentId(`${number.slice(0, 17)}${other}`, today)?.code).toBe("INVALID_ID_CHECK_DIGIT");
      }),
    );
  });

  it.each([
    ["too short", "11010119900307123", "INVALID_ID_NUMBER_FORMAT"],
    ["letters inside", "1101011990A307123X", "INVALID_ID_NUMBER_FORMAT"],
    ["30 February", withCheck("11010119900230123"), "INVALID_BIRTH_DATE"],
    ["month 13", withCheck("11010119901301123"), "INVALID_BIRTH_DATE"],
    ["born tomorrow", withCheck("11010120261124123"), "INVALID_BIRTH_DATE"],
    ["before 1900", withCheck("11010118991231123"), "INVALID_BIRTH_DATE"],
    ["17 years old tomorrow-ish", withCheck("11010120081124123"), "UNDERAGE"],
  ])("refuses %s", (_what, number, code) => {
    expect(checkResidentId(number, today)?.code).toBe(code);
  });

  it("accepts someone turning 18 today, and counts birthdays exactly", () => {
    expect(checkResidentId(withCheck("11010120081123123"), today)).toBeUndefined();
    expect(ageOn(new Date("2008-11-24T00:00:00Z"), today)).toBe(17);
    expect(ageOn(new Date("2008-11-23T00:00:00Z"), today)).toBe(18);
  });
});

describe("other checks", () => {
  it("checks passport numbers", () => {
    for (const ok of ["E12345678", "G1234567", "123456789", "X1234567"]) expect(checkPassportNumber(ok)).toBeUndefined();
    for (const bad of ["E123", "ABCDEFGHI", "E1234567890", "E12-34567"]) expect(checkPassportNumber(bad)?.code).toBe("INVALID_PASSPORT_NUMBER");
  });

  it("checks that full names are plausible", () => {
    for (const ok of ["王小明", "欧阳娜娜", "买买提·艾力", "Jane Doe", "José María O'Neil", "Anne-Marie Smith"]) expect(checkFullName(ok), ok).toBeUndefined();
    for (const bad of ["王", "x1", "Jane", "aaaa aaaa", "Robert'); DROP", "王小明1", "", "a".repeat(65)]) {
      expect(checkFullName(bad)?.code, bad).toBe("IMPLAUSIBLE_NAME");
    }
  });

  it("uses the resident ID checks for driving licences and normalises numbers", () => {
    expect(normaliseDocumentNumber(" 11010519 491231002x ")).toBe("11010519491231002X");
    expect(automaticChecks({ type: "DRIVER_LICENSE", fullName: "王小明", documentNumber: "11010519491231002x" }, today)).toBeUndefined();
    expect(automaticChecks({ type: "DRIVER_LICENSE", fullName: "王小明", documentNumber: "E12345678" }, today)?.code).toBe("INVALID_ID_NUMBER_FORMAT");
    expect(automaticChecks({ type: "PASSPORT", fullName: "王", documentNumber: "E12345678" }, today)?.code).toBe("IMPLAUSIBLE_NAME");
  });

  it("masks names", () => {
    expect(maskName("张三")).toBe("张*");
    expect(maskName("欧阳娜娜")).toBe("欧***");
    expect(maskName("John Doe")).toBe("J*** D**");
  });
});
