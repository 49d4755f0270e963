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
      // `_name` marks a value left unused on purpose (a destructured field dropped, a callback's position).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
);
