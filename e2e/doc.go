// Package e2e holds Hearth's browser end-to-end tests: they build and start
// the real server with its demo directory and drive it through headless
// Chromium (playwright-core, see newcomer.mjs). Run them, with everything
// they need installed, through ./scripts/test.sh; see README.md.
package e2e
