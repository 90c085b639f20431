#!/usr/bin/env node
// fortros-reconciler: the built program lives in dist/ (run `npm run build`).
import '../dist/main.js';
