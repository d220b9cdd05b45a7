// ESLint: typescript-eslint's recommended rules, Prettier's formatting (eslint-config-prettier turns off the
// rules it owns), and one width for every line, regular expressions alone excepted (they cannot be wrapped).
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["node_modules/", ".build/", "policy/bin/", "**/*.js"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    prettier,
    {
        rules: {
            "max-len": ["error", { code: 140, tabWidth: 4, ignoreRegExpLiterals: true }],
            "@typescript-eslint/no-unused-vars": [
                "error",
                { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
            ],
            eqeqeq: ["error", "always"],
            "no-console": "error",
        },
    },
);
