#!/usr/bin/env node
// fortros-lab: the built program lives in dist/ (run `npm run build`).
import '../dist/main.js';
