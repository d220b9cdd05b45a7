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
    fs.writeFileSync(file, "");
    fs.truncateSync(file, mb * 1024 * 1024);
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
];
