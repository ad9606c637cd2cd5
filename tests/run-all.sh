#!/usr/bin/env bash
# npm test: build, unit + integration tests (vitest, real Postgres), then the browser journeys
# (Playwright in Debian's Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/setup/ensure-chromium.sh
npm run build --silent
# unit, integration and fuzz tests, two files at a time
npx vitest run --exclude 'tests/drills/**'
# the fault drills measure recovery, so they run one at a time with nothing else beside them
npx vitest run tests/drills --maxWorkers=1
npx playwright test
