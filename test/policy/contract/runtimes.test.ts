import * as assert from "assert";
import { runtimeStatus } from "../../../policy/contract/runtimes";

describe("the runtime table (policy/contract/runtimes.ts)", () => {
    it("dates each runtime against a given day: supported, ending within the notice, deprecated on its date, unknown", () => {
        const day = new Date("2026-11-23T12:00:00Z");
        assert.deepStrictEqual(runtimeStatus("python3.12", day), { state: "supported", deprecation: "2028-10-31" });
        assert.deepStrictEqual(runtimeStatus("nodejs22.x", day), { state: "ending", deprecation: "2027-04-30", daysLeft: 158 });
        assert.deepStrictEqual(runtimeStatus("nodejs22.x", day, 100), { state: "supported", deprecation: "2027-04-30" });
        assert.deepStrictEqual(runtimeStatus("python3.11", day), { state: "deprecated", deprecation: "2026-06-30" });
        assert.deepStrictEqual(runtimeStatus("python3.12", new Date("2028-10-31T00:00:00Z")), {
            state: "deprecated",
            deprecation: "2028-10-31",
        });
        assert.deepStrictEqual(runtimeStatus("python2.7", day), { state: "unknown" });
    });
});
