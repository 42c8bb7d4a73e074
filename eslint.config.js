// typescript-eslint's strict type-checked rules, with the few exceptions this codebase needs (each says why).
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

const entryOnly = "import another module through its index.ts (its public API), not its internals";
const outsideModule = { regex: "(^|/)modules/[^/]+/(?!index\\.ts$)", message: entryOnly };
const siblingModule = { regex: "^\\.\\./(?!\\.\\.)[^/]+/(?!index\\.ts$)", message: entryOnly };

export default tseslint.config(
  { ignores: ["node_modules/", "src/generated/", "dist/", "coverage/", "clients/typescript/src/schema.ts"] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // Template literals with numbers are how messages and SQL fragments are written here.
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      // `(x) => void send(x)` and one-line arrows returning a void call read well; the rule is for statements.
      "@typescript-eslint/no-confusing-void-expression": ["error", { ignoreArrowShorthand: true }],
      // Async functions that implement a Promise-returning interface synchronously are fine here; promises
      // that nobody awaits are what no-floating-promises catches.
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // A module's public API is its index.ts: code outside src/modules/<feature>/ imports only that file of it.
    files: ["src/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [outsideModule] }] },
  },
  {
    // ...and inside a module, another module is reached through its index.ts too (`../<other>/index.ts`).
    files: ["src/modules/*/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [outsideModule, siblingModule] }] },
  },
  {
    // supertest types every response body as `any`: the tests assert on those bodies field by field.
    files: ["tests/**/*.ts", "bench/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      // Fakes of outside servers end a request with `return send(res, ...)`; vitest hooks take bare methods.
      "@typescript-eslint/no-confusing-void-expression": "off",
      "@typescript-eslint/unbound-method": "off",
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { ...globals.node } },
  },
);
