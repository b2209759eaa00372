#!/usr/bin/env bash
# Builds the library as it was at a given commit, renamed NeuralNet.Baseline, into benchmarks/baseline/, so one
# BenchmarkDotNet run can time it beside the current code (TrainerBeforeAfterBenchmarks).
# Usage: bash benchmarks/build-baseline.sh [COMMIT]   (default: a42ede8, the trainer before the training-loop split)
set -euo pipefail
cd "$(dirname "$0")/.."
commit="${1:-a42ede8}"
work="$(mktemp -d)"
trap 'git worktree remove --force "$work" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --detach "$work" "$commit" >/dev/null
dotnet build "$work/src/NeuralNet" -c Release -p:AssemblyName=NeuralNet.Baseline -p:GenerateDocumentationFile=false -o "$work/out" >/dev/null
mkdir -p benchmarks/baseline
cp "$work/out/NeuralNet.Baseline.dll" benchmarks/baseline/
echo "$commit" > benchmarks/baseline/COMMIT
echo "benchmarks/baseline/NeuralNet.Baseline.dll built from $commit"
