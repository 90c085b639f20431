#!/usr/bin/env node
// fortros-wireguard: the built program is bundled into dist/bundle/ (run `npm run build`).
import '../dist/bundle/fortros-wireguard.mjs';
