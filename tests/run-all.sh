#!/usr/bin/env bash
# npm test: build, unit + integration tests (vitest, real Postgres), then the browser journeys
# (Playwright in Debian's Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/setup/ensure-chromium.sh
npx remix build
npx vitest run
npx playwright test
