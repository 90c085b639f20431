#!/usr/bin/env node
// fortros-maintainer: the built program is bundled into dist/bundle/ (run `npm run build`).
import '../dist/bundle/fortros-maintainer.mjs';
