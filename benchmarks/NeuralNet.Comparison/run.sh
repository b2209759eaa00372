#!/usr/bin/env bash
# NeuralNet against TorchSharp (libtorch 2.10, CPU) and ONNX Runtime, with one command:
#
#   bash benchmarks/NeuralNet.Comparison/run.sh            # full run (about 10 minutes on 2 cores)
#   bash benchmarks/NeuralNet.Comparison/run.sh --quick    # 3 measured iterations per epoch benchmark
#
# Other options, passed to the program: --rounds N (run every comparison N times, alternating the contenders in time;
# the closing summary gives the median over rounds), --no-check (skip the one-epoch loss check), --check-only,
# --cnn-rows N (CNN subset, default 12000), --filter NAME... (MlpEpoch, MlpForwardBackward, CnnEpoch, PredictLatency).
# Builds the project (restoring TorchSharp 0.107.0, libtorch-cpu-linux-x64 2.10.0 and ONNX Runtime 1.31.1 on first
# use; the project is not in NeuralNet.sln, so `dotnet test` and .ci/run never fetch libtorch), lets the build's
# AfterBuild target patch the copied libLibTorchSharp.so (weaken_glibcxx.py), then runs every benchmark in this
# process. The tables go to the console and to BenchmarkDotNet.Artifacts/results/ under the current folder; the whole
# output is also kept in BenchmarkDotNet.Artifacts/comparison.log.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build "$here/NeuralNet.Comparison.csproj" -c Release --nologo -v quiet -clp:NoSummary
out="$here/bin/Release/net10.0/linux-x64"
# Patch again in case the build was skipped as up to date after the output was replaced; a no-op otherwise.
[ -x /usr/bin/python3 ] && /usr/bin/python3 "$here/weaken_glibcxx.py" "$out" >/dev/null

cd "$root"
mkdir -p BenchmarkDotNet.Artifacts
echo "// $(date -u '+%Y-%m-%d %H:%M UTC'), $(lscpu | sed -n 's/^Model name: *//p'), load average $(cut -d' ' -f1-3 /proc/loadavg)" \
  | tee BenchmarkDotNet.Artifacts/comparison.log
"$out/NeuralNet.Comparison" "$@" 2>&1 | tee -a BenchmarkDotNet.Artifacts/comparison.log
echo "// load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a BenchmarkDotNet.Artifacts/comparison.log
