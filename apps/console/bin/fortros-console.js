#!/usr/bin/env node
// fortros-console: the built program lives in dist/ (run `npm run build`).
import '../dist/main.js';
