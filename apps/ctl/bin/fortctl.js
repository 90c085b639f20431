#!/usr/bin/env node
// fortctl: the built program lives in dist/ (run `npm run build`).
import '../dist/main.js';
