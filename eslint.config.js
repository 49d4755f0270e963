// Lint: typescript-eslint's strict rules on every TypeScript source and test (formatting is
// prettier's: `npm run format:check`). `npm run lint` runs it; CI runs it through `npm test`.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "out/**", "test/.output/**", "**/*.d.ts", "**/*.js", "**/*.mjs", "**/*.cjs"] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    files: ["**/*.ts"],
    rules: {
      // `map.get(k)!` right after the key was checked or set is the idiom of this code base (it
      // compiles without noUncheckedIndexedAccess); a wrong one fails the tests at once.
      "@typescript-eslint/no-non-null-assertion": "off",
      // Records keyed by data (env, tags, bodies) are pruned with `delete`: that is what they are for.
      "@typescript-eslint/no-dynamic-delete": "off",
      // A callback may give a replacement or nothing (`T | void`): TypeScript accepts a body without
      // `return` only as void.
      "@typescript-eslint/no-invalid-void-type": "off",
      // `_name` marks a value left unused on purpose (a destructured field dropped, a callback's position).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
);
