#!/usr/bin/env node
// fortros-workloads-drain: the built program lives in dist/ (run `npm run build`).
import '../dist/drain-main.js';
