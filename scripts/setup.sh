#!/bin/sh
# Installs everything the project needs on a fresh Debian machine (run as root), then builds every project.
# Idempotent and quick when nothing changed: Debian packages only when missing, npm ci only when the lock changed.
set -eu
cd "$(dirname "$0")/.."

# wireguard-*, iproute2, nftables: the mesh and multi-node tests. execline: s6-rc trees' scripts.
# s6, runit, supervisor: peers measured side by side in bench/init.
# chromium: renders `fortctl plot` SVGs in a test. python3-grpcio, python3-protobuf: a gRPC client this project did
# not write, resolving every service from reflection (test/rpc).
# s6 also gives the reconciler's anchors s6-log (workload logs). runc: the oci driver (crun 1.8 refuses this
# hybrid cgroup host). qemu-system-x86: the vm driver. busybox-static, cpio, linux-image-amd64 (/boot/vmlinuz-*):
# the rootfs and initramfs the oci and vm driver tests build.
DEBIAN_PACKAGES="wireguard-tools wireguard-go iproute2 nftables execline s6 runit supervisor procps chromium python3-grpcio python3-protobuf runc qemu-system-x86 busybox-static cpio linux-image-amd64"

missing=""
for p in $DEBIAN_PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # policy-rc.d 101: packages must not start their daemons (supervisor would start supervisord).
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d.fortros && chmod +x /usr/sbin/policy-rc.d.fortros
    [ -e /usr/sbin/policy-rc.d ] || ln -s policy-rc.d.fortros /usr/sbin/policy-rc.d
    apt-get install -y -qq --no-install-recommends $missing
    [ "$(readlink /usr/sbin/policy-rc.d 2>/dev/null)" = policy-rc.d.fortros ] && rm -f /usr/sbin/policy-rc.d
    rm -f /usr/sbin/policy-rc.d.fortros
  else
    echo "setup: missing Debian packages:$missing (run as root to install them; tests that need them will say so and skip)" >&2
  fi
fi

# npm ci when the lockfile's content differs from the one node_modules was installed from (a stamp, not mtimes:
# `npm install --package-lock-only` or a merge can leave node_modules older than the lock with newer mtimes).
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -d node_modules ] || [ "$(cat node_modules/.fortros-lock.sha256 2>/dev/null)" != "$lock_sum" ]; then
  echo "setup: npm ci"
  npm ci --no-fund --no-audit
  echo "$lock_sum" > node_modules/.fortros-lock.sha256
fi

NX_DAEMON=false npx nx run-many -t build --outputStyle=static
