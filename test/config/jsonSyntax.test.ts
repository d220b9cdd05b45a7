import * as assert from "assert";
import { parseJson } from "../../config/canonical";
import { jsonProblem } from "../../config/jsonSyntax";

const SAMPLES = ['{"a": [1, 2.5e3, -0.1, true, false, null], "b": {"c": "\\u00e9\\n"}}', "[]", '"x"', "0", '{ "k" : { } }'];

/** Small deterministic generator, so that a failure replays. */
function* mutations(text: string, seed: number): Generator<string> {
    let s = seed;
    const next = () => (s = (s * 1103515245 + 12345) & 0x7fffffff);
    const alphabet = ['"', "{", "}", "[", "]", ",", ":", "1", "-", "e", ".", " ", "\\", "t", "n", "\u0001"];
    for (let k = 0; k < 300; k++) {
        const at = next() % (text.length + 1);
        switch (next() % 3) {
            case 0:
                yield text.slice(0, at) + text.slice(at + 1);
                break;
            case 1:
                yield text.slice(0, at) + alphabet[next() % alphabet.length] + text.slice(at);
                break;
            default:
                yield text.slice(0, at) + alphabet[next() % alphabet.length] + text.slice(at + 1);
        }
    }
}

describe("JSON error positions", () => {
    it("agree with JSON.parse on which texts are valid, over mutated samples", () => {
        let invalid = 0;
        SAMPLES.forEach((sample, i) => {
            for (const text of mutations(sample, i + 1)) {
                let valid = true;
                try {
                    JSON.parse(text);
                } catch {
                    valid = false;
                }
                const problem = jsonProblem(text);
                assert.strictEqual(problem === undefined || problem.duplicateKey !== undefined, valid, JSON.stringify(text));
                invalid += valid ? 0 : 1;
            }
        });
        assert.ok(invalid > 500, `only ${invalid} invalid mutations were tried`);
    });

    it("name the line and column of a trailing comma and of a truncated file", () => {
        assert.throws(() => parseJson('{\n  "feeds": [1, 2,]\n}\n', "f.json"), /^InputError: f\.json:2:18: invalid JSON: unexpected "\]"$/);
        assert.throws(() => parseJson('{\n  "a": 1', "f.json"), /^InputError: f\.json:2:9: invalid JSON: unexpected end of file$/);
    });

    it("report an unterminated text nested 100,000 deep where it ends, not at 1:1", () => {
        const text = `{"a":${"[".repeat(100_000)}`;
        assert.throws(() => parseJson(text, "deep.json"), /^InputError: deep\.json:1:100006: invalid JSON: unexpected end of file$/);
    });

    it("refuse a key repeated in one object, naming where the repeat is, and accept the same key in two objects", () => {
        assert.throws(
            () => parseJson('{\n  "feeds": 1,\n  "x": {"feeds": 2},\n  "feeds": 3\n}', "s.json"),
            /^InputError: s\.json:4:3: duplicate key "feeds"; keep one entry per key$/,
        );
        assert.deepStrictEqual(parseJson('{"a": {"k": 1}, "b": {"k": 2}}', "s.json"), { a: { k: 1 }, b: { k: 2 } });
        assert.throws(() => parseJson('{"\\u0061": 1, "a": 2}', "e.json"), /duplicate key "a"/);
    });
});
