import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import { edit, tempDir, write } from "./fixtures";

/**
 * Every bad input a user can give the program, once: how to break a copy of the project, and the one line
 * that must name the file (and line or key) and the expected form. test/program/badInput.test.ts runs each
 * through the program (nothing declared), test/cli/badInput.test.ts through `npm run preview` (exit 2, that
 * line alone on stderr).
 */
export interface BadInput {
    readonly name: string;
    /** The stack to run (stage unless said). */
    readonly stack?: string;
    readonly breakIt: (root: string) => void;
    /** The message, as the program throws it (the commands print it after `error: `). */
    readonly message: RegExp;
}

/** A file of `mb` megabytes that takes no room (what counts is its size). */
function sparse(root: string, rel: string, mb: number): void {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, "");
    fs.truncateSync(file, mb * 1024 * 1024);
}

/** A file (or folder) whose name is given as raw bytes, which need not be valid UTF-8. */
function oddName(root: string, dir: string, name: Buffer, folder = false): void {
    const target = Buffer.concat([Buffer.from(`${path.join(root, dir)}/`), name]);
    if (folder) {
        fs.mkdirSync(target);
        fs.writeFileSync(Buffer.concat([target, Buffer.from("/a.yaml")]), "a: 1\n");
    } else {
        fs.writeFileSync(target, "x = 1\n");
    }
}

/** A YAML "billion laughs": nine aliases per level, five levels, 59,049 strings once expanded. */
const ALIAS_BOMB = [
    "a: &a [x, x, x, x, x, x, x, x, x]",
    ..."bcde".split("").map((k, i) => {
        const prev = "abcd"[i];
        return `${k}: &${k} [${Array(9).fill(`*${prev}`).join(", ")}]`;
    }),
].join("\n");

/** A stack config line replaced, the rest of the file kept. */
function retention(value: string): (root: string) => void {
    return (r) => edit(r, "Pulumi.stage.yaml", (t) => t.replace(/logRetentionDays: .*$/m, `logRetentionDays: ${value}`));
}

export const BAD_INPUTS: readonly BadInput[] = [
    {
        name: "VERSION missing",
        breakIt: (r) => fs.rmSync(path.join(r, "VERSION")),
        message: /^VERSION: cannot read .* \(ENOENT\); the repository root must hold a VERSION file$/,
    },
    { name: "VERSION empty", breakIt: (r) => write(r, "VERSION", ""), message: /^VERSION: file is empty/ },
    {
        name: "VERSION missing key",
        breakIt: (r) => edit(r, "VERSION", (t) => t.replace(/^NEWSLETTER_VERSION=.*\n/m, "")),
        message: /^VERSION: missing key NEWSLETTER_VERSION; add NEWSLETTER_VERSION=MAJOR\.MINOR\.PATCH/,
    },
    {
        name: "VERSION duplicate key",
        breakIt: (r) => edit(r, "VERSION", (t) => `${t}INGEST_VERSION=9.9.9\n`),
        message: /^VERSION:8: duplicate key INGEST_VERSION \(first set on line 4\)/,
    },
    {
        name: "VERSION value that is not a version",
        breakIt: (r) => edit(r, "VERSION", (t) => t.replace("NORMALIZE_VERSION=2.1.0", "NORMALIZE_VERSION=2.1")),
        message: /^VERSION:5: NORMALIZE_VERSION value "2\.1" is not a valid version; expected NORMALIZE_VERSION=MAJOR\.MINOR\.PATCH/,
    },
    {
        name: "stack config file missing",
        breakIt: (r) => fs.rmSync(path.join(r, "Pulumi.stage.yaml")),
        message: /^Pulumi\.stage\.yaml: not found; every stack needs its config file/,
    },
    {
        name: "stack config whose env is another stack",
        breakIt: (r) => edit(r, "Pulumi.stage.yaml", (t) => t.replace("vectora-inbox:env: stage", "vectora-inbox:env: dev")),
        message: /^Pulumi\.stage\.yaml: vectora-inbox:env is "dev" but the stack is "stage"; expected vectora-inbox:env: stage$/,
    },
    { name: "unknown stack", stack: "qa", breakIt: () => undefined, message: /^unknown stack "qa"; expected one of dev, stage, prod$/ },
    {
        name: "prod without its stage stack",
        stack: "prod",
        breakIt: (r) => edit(r, "Pulumi.prod.yaml", (t) => t.replace(/^.*stageStack.*\n/m, "")),
        message: new RegExp(
            '^Pulumi\\.prod\\.yaml: missing vectora-inbox:stageStack; expected for example "vectora-inbox:stageStack: ' +
                'organization/vectora-inbox/stage" under config:$',
        ),
    },
    {
        name: "invalid YAML in a stack config",
        stack: "dev",
        breakIt: (r) => write(r, "Pulumi.dev.yaml", "config:\n  aws:region: [eu-west-3\n"),
        message: /^Pulumi\.dev\.yaml:\d+:\d+: invalid YAML: /,
    },
    {
        name: "invalid YAML in canonical/",
        breakIt: (r) => edit(r, "canonical/prompts/newsletter_editorial.yaml", (t) => `${t}sections: [regulatory, clinical\n`),
        message: /^canonical\/prompts\/newsletter_editorial\.yaml:\d+:\d+: invalid YAML: /,
    },
    {
        name: "invalid JSON in canonical/",
        breakIt: (r) => write(r, "canonical/sources/extra.json", '{"a": 1,}'),
        message: /^canonical\/sources\/extra\.json:1:9: invalid JSON: unexpected "}"$/,
    },
    {
        name: "a client config with a versioned client_id",
        breakIt: (r) => edit(r, "canonical/clients/lai_weekly.yaml", (t) => t.replace("client_id: lai_weekly", "client_id: lai_weekly_v7")),
        message:
            /^canonical\/clients\/lai_weekly\.yaml: client_id "lai_weekly_v7" carries a version suffix; expected a stable id such as "lai_weekly"/,
    },
    {
        name: "an empty YAML file in canonical/",
        breakIt: (r) => write(r, "canonical/scopes/new_scope.yaml", ""),
        message: /^canonical\/scopes\/new_scope\.yaml: YAML file is empty/,
    },
    {
        name: "a symbolic link in canonical/ that points outside it",
        breakIt: (r) => fs.symlinkSync(write(tempDir(), "elsewhere.yaml", "a: 1\n"), path.join(r, "canonical/scopes/elsewhere.yaml")),
        message: /^canonical\/scopes\/elsewhere\.yaml: symbolic link points outside canonical/,
    },
    {
        name: "a source folder missing",
        breakIt: (r) => fs.rmSync(path.join(r, "python-src/layers/vectora-core"), { recursive: true }),
        message: /^python-src\/layers\/vectora-core: folder not found/,
    },
    {
        name: "a source folder empty",
        breakIt: (r) => {
            fs.rmSync(path.join(r, "python-src/lambdas/newsletter-v2"), { recursive: true });
            fs.mkdirSync(path.join(r, "python-src/lambdas/newsletter-v2"));
        },
        message: /^python-src\/lambdas\/newsletter-v2: folder is empty/,
    },
    {
        name: "a layer over Lambda's unzipped size limit",
        breakIt: (r) => sparse(r, "python-src/layers/vectora-core/vectora_core/embeddings.bin", 251),
        message: /^python-src\/layers\/vectora-core: vectora-core is 251\.0 MB unzipped; Lambda allows 250\.0 MB/,
    },
    {
        name: "a function whose code and layers together exceed the limit, each under it",
        breakIt: (r) => {
            sparse(r, "python-src/layers/vectora-core/vectora_core/index.bin", 150);
            sparse(r, "python-src/lambdas/ingest-v2/model.bin", 120);
        },
        message:
            /^ingest-v2 with its layers is 270\.0 MB unzipped; Lambda allows 250\.0 MB \(shrink python-src\/lambdas\/ingest-v2 or the layers\)$/,
    },
    {
        name: "a YAML alias bomb in canonical/",
        breakIt: (r) => write(r, "canonical/scopes/laughs.yaml", `${ALIAS_BOMB}\n`),
        message: /^canonical\/scopes\/laughs\.yaml: YAML aliases expand too far \(an alias bomb\); expected plain values/,
    },
    {
        name: "a YAML alias bomb in a stack config",
        breakIt: (r) => edit(r, "Pulumi.stage.yaml", (t) => `${t}${ALIAS_BOMB.replace(/^/gm, "  vectora-inbox:")}\n`),
        message: /^Pulumi\.stage\.yaml: YAML aliases expand too far \(an alias bomb\)/,
    },
    {
        name: "two YAML documents in one canonical file",
        breakIt: (r) => write(r, "canonical/scopes/two.yaml", "a: 1\n---\nb: 2\n"),
        message: /^canonical\/scopes\/two\.yaml:2:1: a second YAML document starts here; expected one document per file$/,
    },
    {
        name: "a canonical YAML file over 1 MB",
        breakIt: (r) => sparse(r, "canonical/sources/huge.yaml", 55),
        message: /^canonical\/sources\/huge\.yaml: 55\.0 MB; a canonical YAML or JSON file may be at most 1\.0 MB/,
    },
    {
        name: "a canonical set over 10 MB in all",
        breakIt: (r) => {
            sparse(r, "canonical/assets/a.bin", 6);
            sparse(r, "canonical/assets/b.bin", 5);
        },
        message: /^canonical: the files add up to 11\.0 MB; the canonical set may hold at most 10\.0 MB/,
    },
    {
        name: "a duplicate key in canonical JSON",
        breakIt: (r) => write(r, "canonical/sources/feeds.json", '{\n  "feeds": [],\n  "feeds": [1]\n}\n'),
        message: /^canonical\/sources\/feeds\.json:3:3: duplicate key "feeds"; keep one entry per key$/,
    },
    {
        name: "an unterminated, deeply nested canonical JSON",
        breakIt: (r) => write(r, "canonical/sources/deep.json", `{"a": ${"[".repeat(20000)}`),
        message: /^canonical\/sources\/deep\.json:1:20007: invalid JSON: unexpected end of file$/,
    },
    {
        name: "a client config in JSON with a versioned client_id",
        breakIt: (r) =>
            write(
                r,
                "canonical/clients/acme.json",
                JSON.stringify({ client_id: "acme_v2", version: "1.0.0", metadata: { changelog: [] } }),
            ),
        message: /^canonical\/clients\/acme\.json: client_id "acme_v2" carries a version suffix/,
    },
    {
        name: "a version of 300 characters",
        breakIt: (r) => edit(r, "VERSION", (t) => t.replace("INGEST_VERSION=1.5.0", `INGEST_VERSION=1.5.0-${"r".repeat(294)}`)),
        message: /^VERSION:4: INGEST_VERSION value is 300 characters; expected at most 64 /,
    },
    {
        name: "a pre-release in prod",
        stack: "prod",
        breakIt: (r) => edit(r, "VERSION", (t) => t.replace("INGEST_VERSION=1.5.0", "INGEST_VERSION=1.6.0-rc.1")),
        message: /^VERSION: INGEST_VERSION=1\.6\.0-rc\.1 is a pre-release; prod runs releases only \(MAJOR\.MINOR\.PATCH\)/,
    },
    {
        name: "a typo in the config namespace",
        breakIt: (r) => edit(r, "Pulumi.stage.yaml", (t) => t.replace("vectora-inbox:logRetentionDays", "vectora-inbx:logRetentionDays")),
        message:
            /^Pulumi\.stage\.yaml: unknown config namespace "vectora-inbx" in vectora-inbx:logRetentionDays; expected vectora-inbox:<key> or aws:<key>/,
    },
    ...['"0x1E"', '"3e1"', '"+30"', '" 30 "'].map((value): BadInput => ({
        name: `a number written ${value}`,
        breakIt: retention(value),
        message: new RegExp(
            `^Pulumi\\.stage\\.yaml: vectora-inbox:logRetentionDays is "${value.slice(1, -1).replace("+", "\\+")}"; expected one of 1, 3,`,
        ),
    })),
    {
        name: "a NUL byte in VERSION (shown escaped, never raw)",
        breakIt: (r) => edit(r, "VERSION", (t) => `${t}NEWSLETTER\u0000VERSION=1.8.0\n`),
        message: /^VERSION:8: "NEWSLETTER\\x00VERSION=1\.8\.0" is not a KEY=VALUE line; expected /,
    },
    {
        name: "a python-src file name that is not valid UTF-8 (untracked)",
        breakIt: (r) => oddName(r, "python-src/lambdas/ingest-v2", Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x70, 0x79])),
        message: /^python-src\/lambdas\/ingest-v2\/caf\\xe9\.py: the name is not valid UTF-8; rename it/,
    },
    {
        name: "a newline in a python-src file name",
        breakIt: (r) => oddName(r, "python-src/layers/vectora-core/vectora_core", Buffer.from("a\nb.py")),
        message: /^python-src\/layers\/vectora-core\/vectora_core\/a\\nb\.py: the name holds a control character/,
    },
    {
        name: "a canonical file name that is not valid UTF-8",
        breakIt: (r) => oddName(r, "canonical/scopes", Buffer.from([0x73, 0xff, 0x2e, 0x79, 0x61, 0x6d, 0x6c])),
        message: /^canonical\/scopes\/s\\xff\.yaml: the name is not valid UTF-8; rename it/,
    },
    {
        name: "a newline in a canonical folder name",
        breakIt: (r) => oddName(r, "canonical", Buffer.from("new\nscopes"), true),
        message: /^canonical\/new\\nscopes: the name holds a control character/,
    },
    {
        name: "VERSION as a named pipe (nothing would ever be read from it)",
        breakIt: (r) => {
            fs.rmSync(path.join(r, "VERSION"));
            childProcess.execFileSync("mkfifo", [path.join(r, "VERSION")]);
        },
        message: /^VERSION: is a named pipe \(FIFO\), not a regular file; expected a text file of KEY=VERSION lines$/,
    },
    {
        name: "a stack config that is a folder",
        breakIt: (r) => {
            fs.rmSync(path.join(r, "Pulumi.stage.yaml"));
            fs.mkdirSync(path.join(r, "Pulumi.stage.yaml"));
        },
        message: /^Pulumi\.stage\.yaml: is a folder, not a regular file; expected the stack's config/,
    },
    {
        name: "a stack config without aws:allowedAccountIds",
        stack: "prod",
        breakIt: (r) => edit(r, "Pulumi.prod.yaml", (t) => t.replace(/^\s*aws:allowedAccountIds:.*\n/m, "")),
        message:
            /^Pulumi\.prod\.yaml: missing aws:allowedAccountIds; expected the stack's AWS account under config:, e\.g\. aws:allowedAccountIds: \["123456789012"\]/,
    },
    {
        name: "an unquoted account id (a number, which loses its leading zeros)",
        breakIt: (r) =>
            edit(r, "Pulumi.stage.yaml", (t) =>
                t.replace('aws:allowedAccountIds: ["123456789012"]', "aws:allowedAccountIds: [012345678901]"),
            ),
        message: /^Pulumi\.stage\.yaml: aws:allowedAccountIds is \[12345678901\]; expected a list of quoted 12-digit AWS account ids/,
    },
    {
        name: "a number out of range (1e400)",
        breakIt: retention("1e400"),
        message: /^Pulumi\.stage\.yaml: vectora-inbox:logRetentionDays is a number out of range \(Infinity\); expected a value such as 30$/,
    },
];

/** A bad value of a flag: what it is, and how to make it in a scratch folder. */
export interface BadFlagValue {
    readonly name: string;
    readonly value: (scratch: string) => string;
}

/** A named pipe, which nothing ever writes to: reading it would block forever. */
function fifo(scratch: string): string {
    const file = path.join(scratch, `pipe-${Math.random().toString(36).slice(2)}`);
    childProcess.execFileSync("mkfifo", [file]);
    return file;
}

const ANY_PATH: BadFlagValue[] = [
    { name: "a named pipe", value: fifo },
    { name: "a path through a file", value: (s) => path.join(write(s, "plain.txt", "x\n"), "below") },
];

/**
 * Every bad form of a flag's value, by the placeholder the command's usage line gives it (`--state FILE`):
 * test/cli/badInput.test.ts gives each to every flag of every command, which must answer with one line, exit 2.
 */
export const BAD_FLAG_VALUES: Readonly<Record<string, readonly BadFlagValue[]>> = {
    FILE: [
        ...ANY_PATH,
        { name: "a file that does not exist", value: (s) => path.join(s, "missing.json") },
        { name: "a folder", value: (s) => fs.mkdtempSync(path.join(s, "folder-")) },
        { name: "a character device (/dev/zero, endless)", value: () => "/dev/zero" },
        { name: "an empty file", value: (s) => write(s, "empty.json", "") },
        { name: "a file over the size bound (65 MB, sparse)", value: (s) => sparseFile(s, "huge.json", 65) },
        { name: "a file that is not JSON", value: (s) => write(s, "broken.json", "{ not json") },
    ],
    DIR: [...ANY_PATH, { name: "a regular file", value: (s) => write(s, "a-file", "x\n") }],
    // A file the command writes (--output): anything it would replace rather than write, or cannot create.
    OUT: [
        ...ANY_PATH,
        { name: "a folder", value: (s) => fs.mkdtempSync(path.join(s, "folder-")) },
        { name: "a character device (/dev/zero)", value: () => "/dev/zero" },
        { name: "a link", value: (s) => symlink(s) },
        { name: "a file in a folder that does not exist", value: (s) => path.join(s, "no-such-folder", "report.sarif") },
    ],
    N: [
        { name: "a word", value: () => "many" },
        { name: "a negative number", value: () => "-1" },
        { name: "an overflowing number", value: () => "1e400" },
        { name: "nothing", value: () => "" },
    ],
    CHOICE: [
        { name: "an unknown name", value: () => "qa" },
        { name: "nothing", value: () => "" },
    ],
    REF: [{ name: "an unknown ref", value: () => "no-such-branch" }],
};

/** A symbolic link to a file of the scratch folder. */
function symlink(scratch: string): string {
    const link = path.join(scratch, `link-${Math.random().toString(36).slice(2)}`);
    fs.symlinkSync(write(scratch, "target.txt", "x\n"), link);
    return link;
}

/** A file of `mb` megabytes that takes no room. */
function sparseFile(dir: string, name: string, mb: number): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, "");
    fs.truncateSync(file, mb * 1024 * 1024);
    return file;
}
