import * as fs from "fs";
import * as path from "path";

/** Words of Python-like source, so that the tree compresses like real code (about 4:1). */
const WORDS = [
    "def",
    "return",
    "self",
    "import",
    "from",
    "for",
    "in",
    "if",
    "elif",
    "else:",
    "class",
    "value",
    "items",
    "data",
    "config",
    "bucket",
    "client_id",
    "score",
    "None",
    "True",
    "False",
    "lambda",
    "yield",
    "logger.info(",
    "event",
    "context",
    "result",
    "with",
    "open(",
    "as",
    "try:",
    "except",
    "raise",
    "ValueError(",
    "dict(",
    "list(",
    "len(",
];

/** A small deterministic generator, so that every run measures the same bytes. */
function generator(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
        s = (Math.imul(s, 1103515245) + 12345) >>> 0;
        return s / 0x100000000;
    };
}

/**
 * Writes `files` Python-like files totalling about `bytes` under `dir/vectora_core/`, in nested packages,
 * the shape of a layer's code. Returns the bytes written.
 */
export function writePythonTree(dir: string, files: number, bytes: number, seed = 7): number {
    const random = generator(seed);
    const perFile = Math.floor(bytes / files);
    let total = 0;
    for (let i = 0; i < files; i++) {
        const folder = path.join(dir, "vectora_core", `pkg${i % 50}`, `sub${i % 7}`);
        fs.mkdirSync(folder, { recursive: true });
        const lines: string[] = [];
        let size = 0;
        while (size < perFile) {
            const indent = "    ".repeat(Math.floor(random() * 3));
            const words = Array.from({ length: 3 + Math.floor(random() * 9) }, () => {
                const word = WORDS[Math.floor(random() * WORDS.length)];
                return random() < 0.25 ? `${word}_${Math.floor(random() * 1000)}` : word;
            });
            const line = `${indent}${words.join(" ")}`;
            lines.push(line);
            size += line.length + 1;
        }
        const text = `${lines.join("\n")}\n`;
        fs.writeFileSync(path.join(folder, `module_${i}.py`), text);
        total += text.length;
    }
    fs.writeFileSync(path.join(dir, "vectora_core", "__init__.py"), '"""benchmark tree"""\n');
    return total;
}

/** Every file under a folder. */
export function listFiles(dir: string): string[] {
    return fs
        .readdirSync(dir, { recursive: true, encoding: "utf8" })
        .map((f) => path.join(dir, f))
        .filter((f) => fs.statSync(f).isFile());
}
