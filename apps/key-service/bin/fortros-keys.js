#!/usr/bin/env node
// fortros-keys: the built program is bundled into dist/bundle/ (run `npm run build`).
import '../dist/bundle/fortros-keys.mjs';
