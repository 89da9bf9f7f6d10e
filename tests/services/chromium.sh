#!/usr/bin/env bash
# Debian's Chromium for the browser tests (Playwright cannot download its own here),
# and axe-core from the npm registry (pinned in package-lock.json).
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Chromium from Debian's packages…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi
if [ ! -f node_modules/axe-core/axe.min.js ]; then
  npm ci --no-audit --no-fund --silent
fi
echo "$(/usr/bin/chromium --version 2>/dev/null) and axe-core $(node -p "require('./node_modules/axe-core/package.json').version")"
