#!/usr/bin/env node
// fortros-workloads-drain: the built program is bundled into dist/bundle/ (run `npm run build`).
import '../dist/bundle/fortros-workloads-drain.mjs';
