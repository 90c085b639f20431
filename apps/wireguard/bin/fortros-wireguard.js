#!/usr/bin/env node
// fortros-wireguard: the built program lives in dist/ (run `npm run build`).
import '../dist/main.js';
