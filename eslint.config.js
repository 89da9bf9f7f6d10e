// The portal's own JavaScript (progressive enhancement, no build step): eslint's recommended rules.
const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  { ignores: ["node_modules/", "staticfiles/", "tmp/", "**/chart.umd.min.js", "forms/static/requests/map/vendor/", ".venv/"] },
  js.configs.recommended,
  {
    files: ["**/static/**/*.js"],
    languageOptions: { ecmaVersion: 2020, sourceType: "script", globals: { ...globals.browser, Chart: "readonly" } },
  },
  { files: ["eslint.config.js"], languageOptions: { sourceType: "commonjs", globals: globals.node } },
];
