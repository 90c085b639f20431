#!/usr/bin/env node
// fortros-reconciler: the built program is bundled into dist/bundle/ (run `npm run build`).
import '../dist/bundle/fortros-reconciler.mjs';
