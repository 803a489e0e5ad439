#!/usr/bin/env bash
# A Node 20 base image built from Debian's packages, for a machine that reaches no image registry
# (this project's CI): Debian bookworm minbase by mmdebstrap, plus this machine's own Node 20
# (node and npm; bookworm's nodejs package is 18, below package.json's engines). Elsewhere use the
# Dockerfile's default, node:20.20-bookworm-slim.
#   bash deploy/image/local-base.sh [tag]   then
#   podman build --isolation=chroot --network=host --build-arg NODE_IMAGE=<tag> -t precision-hub .
# Needs: apt-get install -y mmdebstrap podman runc (runc: crun refuses this kernel's hybrid cgroups).
set -euo pipefail
tag=${1:-localhost/node:20-bookworm-debian}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! podman image exists localhost/debian:bookworm-minbase; then
  mmdebstrap --quiet --variant=minbase --include=ca-certificates,libstdc++6 bookworm "$work/rootfs.tar"
  podman import --quiet "$work/rootfs.tar" localhost/debian:bookworm-minbase >/dev/null
fi
node_bin=$(command -v node)
npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
mkdir -p "$work/ctx/usr/bin" "$work/ctx/usr/lib/node_modules"
cp "$node_bin" "$work/ctx/usr/bin/node"
cp -a "$npm_dir" "$work/ctx/usr/lib/node_modules/npm"
# This machine's extra CAs (public certificates: its package registries are reached through a TLS
# proxy), as a company base image carries its own; npm in the build stage needs them.
mkdir -p "$work/ctx/usr/local/share/ca-certificates"
cp /usr/local/share/ca-certificates/*.crt "$work/ctx/usr/local/share/ca-certificates/" 2>/dev/null || true
cat > "$work/ctx/Containerfile" <<'CONTAINERFILE'
FROM localhost/debian:bookworm-minbase
COPY usr /usr
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
RUN update-ca-certificates >/dev/null && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/bin/npm && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/bin/npx && node --version && npm --version
CONTAINERFILE
podman build --quiet --isolation=chroot -t "$tag" "$work/ctx"
echo "base image: $tag ($(podman run --rm --runtime runc --ulimit nofile=20000:20000 --ulimit nproc=1000:1000 "$tag" node --version))"
