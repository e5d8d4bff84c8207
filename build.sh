#!/usr/bin/env bash
# MLNeuro's entry point on a fresh machine: every verb installs the prerequisites first (idempotent), then builds.
#   ./build.sh demo    generate a synthetic dataset, describe it, and run the cell-type baseline on it
#   ./build.sh test    run every test; ends with one line "N passed, N failed, N skipped" (tests whose large
#                      recordings in ../shared/data are absent are skipped, and their skip reason names the folder)
#   ./build.sh bench   run the benchmarks (long; results in BenchmarkDotNet.Artifacts/)
set -euo pipefail
cd "$(dirname "$0")"
verb=${1:-}
shift || true

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

./eng/install-prereqs.sh

case "$verb" in
  demo)
    dotnet build Examples/MLNeuro.Cli -c Release -v quiet -nologo
    cli=(dotnet Examples/MLNeuro.Cli/bin/Release/net10.0/mlneuro.dll)
    "${cli[@]}" synth --out out/demo --overwrite "$@"
    "${cli[@]}" info out/demo
    # The neuron-identity baseline on it: handcrafted features, probed on subjects the probe never saw.
    "${cli[@]}" features --data out/demo --out out/demo-features.parquet
    "${cli[@]}" probe --table out/demo-features.parquet --label cell_type --group subject_id
    ;;
  test)
    results=artifacts/test-results
    rm -rf "$results"
    status=0
    dotnet test MLNeuro.sln -c Release --logger "trx" --results-directory "$results" "$@" || status=$?
    # Totals from the TRX results of every test assembly, so a run that executed no test shows as "0 passed".
    # xunit's skipped tests land in no named counter (notExecuted stays 0): they are the total minus the executed.
    passed=0 failed=0 skipped=0
    counter() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$2"; }
    for f in "$results"/*.trx; do
      [ -e "$f" ] || continue
      counters=$(grep -o '<Counters [^>]*' "$f" | head -n 1)
      p=$(counter passed "$counters"); f_=$(counter failed "$counters")
      t=$(counter total "$counters"); e=$(counter executed "$counters")
      passed=$((passed + ${p:-0})); failed=$((failed + ${f_:-0})); skipped=$((skipped + ${t:-0} - ${e:-0}))
    done
    echo "$passed passed, $failed failed, $skipped skipped"
    if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then exit 1; fi
    ;;
  bench)
    dotnet run -c Release --project tests/MLNeuro.Benchmarks -- "$@"
    ;;
  *)
    echo "usage: ./build.sh demo|test|bench [args...]" >&2; exit 2
    ;;
esac
