#!/usr/bin/env node
// fortctl: the built program is bundled into dist/bundle/ (run `npm run build`).
import '../dist/bundle/fortctl.mjs';
