// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/node_modules/**", ".tsbuild/**", "data/**", "coverage/**", "test-results/**", "hubspot-app/**", "salesforce-package/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    // One adapter speaks to the model vendor; everything else sees the Agent port.
    files: ["**/*.ts"],
    ignores: ["backend/src/agent/llm/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: ["openai", "openai/*"], message: "Only backend/src/agent/llm/ talks to the model vendor." }] }] },
  },
  {
    // The domain is pure rules: no vendor SDK, no HTTP framework, no database driver.
    files: ["backend/src/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["hono", "hono/*", "@hono/*"], message: "The domain does not know about HTTP." },
            { group: ["pg", "better-sqlite3", "kysely"], message: "The domain talks to storage through ports." },
            { group: ["openai", "@hubspot/*", "jsforce", "@salesforce/*"], message: "Vendor SDKs live in adapters." },
            { group: ["node:*", "../adapters/*", "../http/*"], message: "The domain is pure." },
          ],
        },
      ],
    },
  },
  {
    // process.env is read in one place only.
    files: ["backend/src/**/*.ts"],
    ignores: ["backend/src/main.ts", "backend/src/config.ts", "backend/src/cli/**", "backend/src/agent/eval/cli.ts"],
    rules: { "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration in config.ts." }] },
  },
);
