#!/bin/sh
# Start tslab with the project root as working directory, so notebooks import ./src/*
# (tslab type-checks local imports against rootDir = its cwd; toolchain.md §1).
cd "$(dirname "$0")/.." && exec node node_modules/tslab/bin/tslab "$@"
