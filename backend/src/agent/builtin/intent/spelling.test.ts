import { describe, expect, it } from "vitest";
import { correctToken } from "./spelling.js";

const unknown = () => false;

describe("typo repair for lexicon keywords", () => {
  it("repairs one deletion, insertion, substitution or swap", () => {
    expect(correctToken("acount", unknown)).toBe("account");
    expect(correctToken("paymennt", unknown)).toBe("payment");
    expect(correctToken("pasword", unknown)).toBe("password");
    expect(correctToken("refnud", unknown)).toBe("refund");
    expect(correctToken("contrasenia", unknown)).toBe("contrasena");
  });

  it("leaves alone real words, short words, words the model knows and words two edits away", () => {
    expect(correctToken("shopping", unknown)).toBe("shopping");
    expect(correctToken("cancer", unknown)).toBe("cancer");
    expect(correctToken("refnu", unknown)).toBe("refnu");
    expect(correctToken("stop", unknown)).toBe("stop");
    expect(correctToken("card", unknown)).toBe("card");
    expect(correctToken("acount", (w) => w === "acount")).toBe("acount");
    expect(correctToken("pymnet", unknown)).toBe("pymnet");
  });
});
