import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { SCHEMA_FILE, typesFor } from "#scripts/web-types";
import { apiUrl } from "#test/steps/stack";

// The web app calls the API only through types generated from the served OpenAPI document: they
// must be what that document gives today, or the pages compile against a contract that is gone.
describe("the web app's API types", () => {
  it("are generated from the served /openapi.json (run `npm run web:types` after changing a route)", async () => {
    const res = await fetch(`${apiUrl()}/openapi.json`);
    expect(res.status).toBe(200);
    const expected = await typesFor(await res.json());
    const committed = fs.readFileSync(SCHEMA_FILE, "utf8");
    expect(committed === expected, "web/src/api/schema.d.ts is out of date: run `npm run web:types`").toBe(true);
  });
});
