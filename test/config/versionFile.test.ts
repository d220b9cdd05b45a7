import * as assert from "assert";
import { parseVersionFile } from "../../config/versionFile";

const VALID = [
    "VECTORA_CORE_VERSION=1.2.3",
    "COMMON_DEPS_VERSION=1.0.5",
    "INGEST_VERSION=1.5.0",
    "NORMALIZE_VERSION=2.1.0",
    "NEWSLETTER_VERSION=1.8.0",
    "CANONICAL_VERSION=1.1",
];

function expectError(text: string, pattern: RegExp): void {
    assert.throws(
        () => parseVersionFile(text),
        (e: Error) => e.name === "InputError" && pattern.test(e.message) && !e.message.includes("\n"),
    );
}

describe("VERSION file", () => {
    it("reads the six keys of the team's file", () => {
        const v = parseVersionFile(`${VALID.join("\n")}\n`);
        assert.deepStrictEqual(v, {
            VECTORA_CORE_VERSION: "1.2.3",
            COMMON_DEPS_VERSION: "1.0.5",
            INGEST_VERSION: "1.5.0",
            NORMALIZE_VERSION: "2.1.0",
            NEWSLETTER_VERSION: "1.8.0",
            CANONICAL_VERSION: "1.1",
        });
    });

    it("accepts a UTF-8 BOM, CRLF line endings, comments and blank lines", () => {
        const v = parseVersionFile(`\uFEFF# versions\r\n\r\n${VALID.join("\r\n")}\r\n`);
        assert.strictEqual(v.VECTORA_CORE_VERSION, "1.2.3");
        assert.strictEqual(v.CANONICAL_VERSION, "1.1");
    });

    it("accepts pre-release versions and a MAJOR.MINOR.PATCH canonical version", () => {
        const v = parseVersionFile(
            VALID.map((l) =>
                l.replace("INGEST_VERSION=1.5.0", "INGEST_VERSION=1.6.0-rc.1").replace("CANONICAL_VERSION=1.1", "CANONICAL_VERSION=1.2.0"),
            ).join("\n"),
        );
        assert.strictEqual(v.INGEST_VERSION, "1.6.0-rc.1");
        assert.strictEqual(v.CANONICAL_VERSION, "1.2.0");
    });

    it("refuses an empty file", () => {
        expectError("", /^VERSION: file is empty; expected one line per key: VECTORA_CORE_VERSION=/);
        expectError("\uFEFF\r\n  \n", /file is empty/);
    });

    it("names the missing keys and their expected form", () => {
        expectError(
            VALID.slice(0, 4).join("\n"),
            /^VERSION: missing keys NEWSLETTER_VERSION, CANONICAL_VERSION; add NEWSLETTER_VERSION=MAJOR\.MINOR\.PATCH .* and CANONICAL_VERSION=MAJOR\.MINOR/,
        );
    });

    it("names the line of a duplicate key and the line it was first set on", () => {
        expectError([...VALID, "INGEST_VERSION=1.5.1"].join("\n"), /^VERSION:7: duplicate key INGEST_VERSION \(first set on line 3\)/);
    });

    it("names the line of an unknown key", () => {
        expectError(
            [...VALID.slice(0, 2), "INGEST_VERISON=1.5.0", ...VALID.slice(2)].join("\n"),
            /^VERSION:3: unknown key INGEST_VERISON; expected one of VECTORA_CORE_VERSION, /,
        );
    });

    it("names the line of a value that is not semantic", () => {
        expectError(
            VALID.map((l) => l.replace("=1.5.0", "=1.5")).join("\n"),
            /^VERSION:3: INGEST_VERSION value "1\.5" is not a valid version; expected INGEST_VERSION=MAJOR\.MINOR\.PATCH/,
        );
        expectError(VALID.map((l) => l.replace("=1.2.3", "=v1.2.3")).join("\n"), /^VERSION:1: VECTORA_CORE_VERSION value "v1\.2\.3"/);
        expectError(VALID.map((l) => l.replace("=1.2.3", "=01.2.3")).join("\n"), /^VERSION:1: .*not a valid version/);
        expectError(
            VALID.map((l) => l.replace("CANONICAL_VERSION=1.1", "CANONICAL_VERSION=latest")).join("\n"),
            /^VERSION:6: CANONICAL_VERSION value "latest" .* expected CANONICAL_VERSION=MAJOR\.MINOR/,
        );
    });

    it("refuses a line that is not KEY=VALUE", () => {
        expectError(
            [...VALID.slice(0, 5), "CANONICAL_VERSION = 1.1"].join("\n"),
            /^VERSION:6: "CANONICAL_VERSION = 1\.1" is not a KEY=VALUE line/,
        );
    });
});
