/** What is wrong with a JSON text: where, and a duplicate key when that is the problem. */
export interface JsonProblem {
    /** Offset of the first offending character (the text's length for an unexpected end). */
    readonly offset: number;
    /** Set when the text is well-formed but an object repeats this key (JSON.parse would keep the last one). */
    readonly duplicateKey?: string;
}

type Frame = { readonly kind: "object"; readonly keys: Set<string> } | { readonly kind: "array" };

/**
 * Scans a JSON text the way a strict reader would: the first syntax error (V8's messages give a position only
 * for some errors), or the first key an object repeats. Iterative, so a deeply nested text that never closes
 * is reported where it ends rather than overflowing the call stack. Undefined when the text is valid JSON.
 */
export function jsonProblem(text: string): JsonProblem | undefined {
    let i = 0;
    const stack: Frame[] = [];
    const ws = () => {
        while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) {
            i++;
        }
    };
    /** Skips a string starting at the opening quote; false when it is malformed (i then points at the fault). */
    const string = (): boolean => {
        i++;
        while (i < text.length && text[i] !== '"') {
            if (text.charCodeAt(i) < 0x20) {
                return false;
            }
            if (text[i] === "\\") {
                i++;
                if (text[i] === "u") {
                    if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) {
                        return false;
                    }
                    i += 4;
                } else if (!'"\\/bfnrt'.includes(text[i] ?? "")) {
                    return false;
                }
            }
            i++;
        }
        if (i >= text.length) {
            return false;
        }
        i++;
        return true;
    };
    const scalar = (): boolean => {
        for (const word of ["true", "false", "null"]) {
            if (text.startsWith(word, i)) {
                i += word.length;
                return true;
            }
        }
        const match = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
        match.lastIndex = i;
        const found = match.exec(text);
        if (!found || found[0] === "" || found[0] === "-") {
            return false;
        }
        i += found[0].length;
        return true;
    };
    let state: "value" | "key" | "after" = "value";
    for (;;) {
        ws();
        if (state === "value") {
            const ch = text[i];
            if (ch === "{" || ch === "[") {
                i++;
                ws();
                if (text[i] === (ch === "{" ? "}" : "]")) {
                    i++;
                    state = "after";
                } else {
                    stack.push(ch === "{" ? { kind: "object", keys: new Set() } : { kind: "array" });
                    state = ch === "{" ? "key" : "value";
                }
            } else if (ch === '"' ? !string() : !scalar()) {
                return { offset: i };
            } else {
                state = "after";
            }
        } else if (state === "key") {
            const start = i;
            if (text[i] !== '"' || !string()) {
                return { offset: i };
            }
            const key = JSON.parse(text.slice(start, i)) as string;
            const frame = stack[stack.length - 1] as Frame & { kind: "object" };
            if (frame.keys.has(key)) {
                return { offset: start, duplicateKey: key };
            }
            frame.keys.add(key);
            ws();
            if (text[i] !== ":") {
                return { offset: i };
            }
            i++;
            state = "value";
        } else {
            const frame = stack[stack.length - 1];
            if (!frame) {
                return i < text.length ? { offset: i } : undefined;
            }
            if (text[i] === ",") {
                i++;
                state = frame.kind === "object" ? "key" : "value";
            } else if (text[i] === (frame.kind === "object" ? "}" : "]")) {
                i++;
                stack.pop();
            } else {
                return { offset: i };
            }
        }
    }
}
