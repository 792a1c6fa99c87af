#!/usr/bin/env bash
# Refresh the vendored front-end files from the versions pinned in package.json.
# Only maintainers need Node for this; the platform serves the committed copies.
set -euo pipefail
cd "$(dirname "$0")/.."
npm install --no-audit --no-fund --ignore-scripts >/dev/null
v=peiyu/core/static/vendor
rm -rf "$v" && mkdir -p "$v"/{bootstrap,bootstrap-icons/fonts,echarts,htmx}
cp node_modules/bootstrap/dist/css/bootstrap.min.css "$v/bootstrap/"
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js "$v/bootstrap/"
cp node_modules/bootstrap/LICENSE "$v/bootstrap/LICENSE"
cp node_modules/bootstrap-icons/font/bootstrap-icons.min.css "$v/bootstrap-icons/"
cp node_modules/bootstrap-icons/font/fonts/bootstrap-icons.woff2 "$v/bootstrap-icons/fonts/"
cp node_modules/bootstrap-icons/LICENSE "$v/bootstrap-icons/LICENSE"
cp node_modules/echarts/dist/echarts.min.js "$v/echarts/"
cp node_modules/echarts/LICENSE "$v/echarts/LICENSE"
cp node_modules/htmx.org/dist/htmx.min.js "$v/htmx/"
cp node_modules/htmx.org/LICENSE "$v/htmx/LICENSE"
# The production static storage (WhiteNoise's manifest) refuses files that reference files we do not
# ship: drop the source-map comments and the .woff fallback (every supported browser reads .woff2).
sed -i -e '/sourceMappingURL=/d' "$v/bootstrap/bootstrap.min.css" "$v/bootstrap/bootstrap.bundle.min.js"
sed -i -e 's#,url("fonts/bootstrap-icons\.woff?[0-9a-f]*") format("woff")##' "$v/bootstrap-icons/bootstrap-icons.min.css"
for p in bootstrap bootstrap-icons echarts htmx.org; do
  printf '%s %s\n' "$p" "$(node -p "require('./node_modules/$p/package.json').version")"
done > "$v/VERSIONS"
cat "$v/VERSIONS"
