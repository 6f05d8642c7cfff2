#!/usr/bin/env node
// The CLI lives in dist/; this stable file lets npm link the `pareto` bin even before the first build.
import '../dist/cli/index.js'
