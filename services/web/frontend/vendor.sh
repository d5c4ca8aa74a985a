#!/bin/sh
# Installs the browser libraries pinned in package-lock.json and copies their built files into
# ../static/vendor/, which is committed so the service and its tests never need npm at run time.
# Usage (from anywhere): sh services/web/frontend/vendor.sh
set -eu
cd "$(dirname "$0")"
npm ci --ignore-scripts --no-audit --no-fund
mkdir -p ../static/vendor
cp node_modules/htmx.org/dist/htmx.min.js ../static/vendor/htmx.min.js
cp node_modules/htmx-ext-sse/dist/sse.min.js ../static/vendor/htmx-ext-sse.min.js
cp node_modules/htmx.org/LICENSE ../static/vendor/htmx.LICENSE.txt
cp node_modules/htmx-ext-sse/LICENSE ../static/vendor/htmx-ext-sse.LICENSE.txt
echo "vendored: htmx.org $(node -p "require('./node_modules/htmx.org/package.json').version")," \
  "htmx-ext-sse $(node -p "require('./node_modules/htmx-ext-sse/package.json').version")"
