import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { checkClientConfig, loadCanonical } from "../../config/canonical";
import { REPO, copyProject, tempDir, write, sha256Of } from "../helpers/fixtures";

function expectError(root: string, pattern: RegExp): void {
    assert.throws(
        () => loadCanonical(root, "1.1"),
        (e: Error) => e.name === "InputError" && pattern.test(e.message) && !e.message.includes("\n"),
        pattern.source,
    );
}

const CLIENT = `client_id: acme_daily
version: "2.0.0"
metadata:
  changelog:
    - version: "2.0.0"
      date: "2026-01-30"
      changes: first version
`;

describe("canonical configuration", () => {
    it("lists every shipped file with its key, sha256 and content type", () => {
        const set = loadCanonical(REPO, "1.1");
        const onDisk = fs
            .readdirSync(path.join(REPO, "canonical"), { recursive: true, encoding: "utf8" })
            .filter((f) => fs.statSync(path.join(REPO, "canonical", f)).isFile());
        assert.deepStrictEqual(set.files.map((f) => f.path).sort(), onDisk.map((f) => f.split(path.sep).join("/")).sort());
        for (const file of set.files) {
            assert.strictEqual(file.key, `canonical/${file.path}`);
            assert.strictEqual(file.sha256, sha256Of(path.join(REPO, "canonical", file.path)));
            assert.strictEqual(file.contentType, "application/yaml");
        }
        assert.deepStrictEqual(set.clients, ["lai_weekly"]);
    });

    it("changes the set's sha256 when a file is edited, added or removed", () => {
        const root = copyProject();
        const base = loadCanonical(root, "1.1").sha256;
        fs.appendFileSync(path.join(root, "canonical/scopes/molecule_scopes.yaml"), "# edit\n");
        const edited = loadCanonical(root, "1.1").sha256;
        write(root, "canonical/prompts/extra.yaml", "id: extra\n");
        const added = loadCanonical(root, "1.1").sha256;
        fs.rmSync(path.join(root, "canonical/prompts/extra.yaml"));
        fs.rmSync(path.join(root, "canonical/scopes/molecule_scopes.yaml"));
        const removed = loadCanonical(root, "1.1").sha256;
        assert.strictEqual(new Set([base, edited, added, removed]).size, 4);
    });

    it("keeps names with spaces and non-ASCII characters, with forward slashes in keys", () => {
        const root = copyProject();
        write(root, "canonical/prompts/résumé hebdo.yaml", "id: resume\n");
        const file = loadCanonical(root, "1.1").files.find((f) => f.path.startsWith("prompts/r"));
        assert.strictEqual(file?.key, "canonical/prompts/résumé hebdo.yaml");
    });

    it("gives a binary file a binary content type and text files a text one", () => {
        const root = copyProject();
        write(root, "canonical/assets/logo.png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]));
        write(root, "canonical/assets/blob.dat", Buffer.from([0, 159, 146, 150]));
        write(root, "canonical/README", "Plain notes\n");
        write(root, "canonical/sources/feeds.json", '{"feeds": []}\n');
        const types = Object.fromEntries(loadCanonical(root, "1.1").files.map((f) => [f.path, f.contentType]));
        assert.strictEqual(types["assets/logo.png"], "image/png");
        assert.strictEqual(types["assets/blob.dat"], "application/octet-stream");
        assert.strictEqual(types.README, "text/plain; charset=utf-8");
        assert.strictEqual(types["sources/feeds.json"], "application/json");
    });

    it("stops on invalid YAML, naming the file, line and column", () => {
        const root = copyProject();
        write(root, "canonical/scopes/broken.yaml", "lai:\n  companies: [Camurus, MedinCell\n  molecules: []\n");
        expectError(root, /^canonical\/scopes\/broken\.yaml:3:\d+: invalid YAML: /);
    });

    it("stops on a duplicate YAML key, naming the line", () => {
        const root = copyProject();
        write(root, "canonical/scopes/dup.yaml", "a: 1\nb: 2\na: 3\n");
        expectError(root, /^canonical\/scopes\/dup\.yaml:3:1: invalid YAML: Map keys must be unique/);
    });

    it("stops on invalid JSON, naming the file, line and column", () => {
        const root = copyProject();
        write(root, "canonical/sources/feeds.json", '{\n  "feeds": [1, 2,]\n}\n');
        expectError(root, /^canonical\/sources\/feeds\.json:2:\d+: invalid JSON: /);
    });

    it("stops on an empty YAML file", () => {
        const root = copyProject();
        write(root, "canonical/prompts/empty.yaml", "# nothing yet\n");
        expectError(root, /^canonical\/prompts\/empty\.yaml: YAML file is empty; expected a mapping or a list/);
    });

    it("stops on a client config with a versioned client_id", () => {
        const root = copyProject();
        write(
            root,
            "canonical/clients/lai_weekly.yaml",
            fs
                .readFileSync(path.join(REPO, "canonical/clients/lai_weekly.yaml"), "utf8")
                .replace("client_id: lai_weekly", "client_id: lai_weekly_v7"),
        );
        expectError(
            root,
            /^canonical\/clients\/lai_weekly\.yaml: client_id "lai_weekly_v7" carries a version suffix; expected a stable id such as "lai_weekly"/,
        );
    });

    it("checks client_id, version and changelog of a client config", () => {
        const f = "canonical/clients/acme_daily.yaml";
        const check = (doc: unknown) => () => checkClientConfig(doc, f, "acme_daily");
        const parsed = { client_id: "acme_daily", version: "2.0.0", metadata: { changelog: [{ version: "2.0.0" }] } };
        assert.strictEqual(check(parsed)(), "acme_daily");
        assert.throws(check({ ...parsed, client_id: undefined }), /client_id is missing/);
        assert.throws(check({ ...parsed, client_id: "acme-v2" }), /carries a version suffix/);
        assert.throws(check({ ...parsed, client_id: "acme" }), /differs from the file name; expected the file to be clients\/acme\.yaml/);
        assert.throws(check({ ...parsed, version: 2 }), /version 2 is not semantic/);
        assert.throws(check({ ...parsed, metadata: {} }), /metadata\.changelog is missing or empty/);
        assert.throws(check({ ...parsed, metadata: { changelog: [{ version: "1.0.0" }] } }), /has no entry for version 2\.0\.0/);
        assert.throws(check(["a"]), /must be a mapping/);
    });

    it("accepts a new client config written as documented", () => {
        const root = copyProject();
        write(root, "canonical/clients/acme_daily.yaml", CLIENT);
        assert.deepStrictEqual(loadCanonical(root, "1.1").clients, ["acme_daily", "lai_weekly"]);
    });

    it("stops on a symbolic link that points outside canonical/", () => {
        const root = copyProject();
        fs.symlinkSync(write(tempDir(), "passwd.yaml", "a: 1\n"), path.join(root, "canonical/scopes/linked.yaml"));
        expectError(root, /^canonical\/scopes\/linked\.yaml: symbolic link points outside canonical/);
    });

    it("follows a symbolic link that stays inside canonical/", () => {
        const root = copyProject();
        fs.symlinkSync(path.join(root, "canonical/scopes/company_scopes.yaml"), path.join(root, "canonical/scopes/alias.yaml"));
        const set = loadCanonical(root, "1.1");
        const alias = set.files.find((f) => f.path === "scopes/alias.yaml");
        assert.strictEqual(alias?.sha256, set.files.find((f) => f.path === "scopes/company_scopes.yaml")?.sha256);
    });

    it("stops on a missing or empty canonical folder", () => {
        const root = copyProject();
        fs.rmSync(path.join(root, "canonical"), { recursive: true });
        expectError(root, /^canonical: folder not found/);
        fs.mkdirSync(path.join(root, "canonical"));
        expectError(root, /^canonical: folder is empty/);
    });
});
