/**
 * Where a JSON text stops being valid, for error messages that name a line and column (V8's messages
 * give a position only for some errors). Returns the offset of the first offending character, or
 * undefined when the text is valid JSON.
 */
export function jsonErrorOffset(text: string): number | undefined {
    let i = 0;
    const fail = (): never => {
        throw i;
    };
    const ws = () => {
        while (i < text.length && " \t\n\r".includes(text[i])) {
            i++;
        }
    };
    const literal = (word: string) => {
        for (const ch of word) {
            if (text[i] !== ch) {
                fail();
            }
            i++;
        }
    };
    const string = () => {
        i++; // opening quote
        while (i < text.length && text[i] !== '"') {
            if (text.charCodeAt(i) < 0x20) {
                fail();
            }
            if (text[i] === "\\") {
                i++;
                if (text[i] === "u") {
                    if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) {
                        fail();
                    }
                    i += 4;
                } else if (!'"\\/bfnrt'.includes(text[i] ?? "")) {
                    fail();
                }
            }
            i++;
        }
        if (i >= text.length) {
            fail();
        }
        i++;
    };
    const number = () => {
        const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
        if (!match || match[0] === "" || match[0] === "-") {
            fail();
        }
        i += (match as RegExpExecArray)[0].length;
    };
    const value = (): void => {
        ws();
        const ch = text[i];
        if (ch === "{") {
            i++;
            ws();
            if (text[i] === "}") {
                i++;
                return;
            }
            for (;;) {
                ws();
                if (text[i] !== '"') {
                    fail();
                }
                string();
                ws();
                if (text[i] !== ":") {
                    fail();
                }
                i++;
                value();
                ws();
                if (text[i] === ",") {
                    i++;
                } else if (text[i] === "}") {
                    i++;
                    return;
                } else {
                    fail();
                }
            }
        } else if (ch === "[") {
            i++;
            ws();
            if (text[i] === "]") {
                i++;
                return;
            }
            for (;;) {
                value();
                ws();
                if (text[i] === ",") {
                    i++;
                } else if (text[i] === "]") {
                    i++;
                    return;
                } else {
                    fail();
                }
            }
        } else if (ch === '"') {
            string();
        } else if (ch === "t") {
            literal("true");
        } else if (ch === "f") {
            literal("false");
        } else if (ch === "n") {
            literal("null");
        } else {
            number();
        }
    };
    try {
        value();
        ws();
        return i < text.length ? i : undefined;
    } catch (offset) {
        return offset as number;
    }
}
