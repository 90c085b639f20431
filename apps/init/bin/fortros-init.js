#!/usr/bin/env -S node --max-semi-space-size=1
// fortros-init: the built program is bundled into dist/bundle/ (run `npm run build`). A 1 MiB semi-space keeps the
// young generation small: init allocates little, and every MiB of V8 heap is PSS (bench/README.md, init).
import '../dist/bundle/fortros-init.mjs';
