#!/bin/bash
# The little-data study of docs/results/poyo.md, table 2: unit identification vs training from scratch on a
# held-out session with 5, 10 or 25% of its training part. Settings are chosen on a validation dataset (synthetic seed 1)
# and then run once on the test dataset (the demo, seed 0).
#   MLNEURO="dotnet Examples/MLNeuro.Cli/bin/Release/net10.0/mlneuro.dll" docs/results/poyo/little-data/run.sh validate out/val HELD
#   ... run.sh test out/demo HELD          (HELD: sub-04_ses-02, sub-02_ses-02 for validation; add sub-01_ses-02 for the test)
# Prints one "RESULT tag held fraction seed S arm r2" line per run; summarize.py averages them.
set -uo pipefail
stage=$1; data=$2; held=$3
M=${MLNEURO:?set MLNEURO to the mlneuro command}
mkdir -p runs
all=$(ls $data/spikes | sed 's/\.parquet$//')
others=$(echo "$all" | grep -v "^$held$" | paste -sd,)
# A native libtorch error can kill a long run (docs/poyo.md, Configurations and training): continue it from its checkpoint.
retry() { "$@" && return 0; for i in 1 2 3; do "$@" --resume && return 0; done; return 1; }
r2() { python3 -c "import json,sys; print(round(json.load(open(sys.argv[1]))['r2'],3))" "$1"; }

# Pretraining on the other sessions: batches of 64 leave POYO's initial plateau in a few hundred steps.
pre=runs/pre-$stage-$held.zip
[ -f $pre ] || retry $M decode train --data $data --target vx,vy --config tiny --steps 1500 --batch 64 --threads 1 --sessions $others --out $pre

run() { # fraction seed arm steps
  local f=$1 s=$2 arm=$3 n=$4 o=runs/$stage-$held-$1-s$2-$3$4
  if [ ! -f $o.json ]; then
    if [ $arm = scratch ]; then
      retry $M decode train --data $data --target vx,vy --config tiny --steps $n --batch 16 --threads 1 --sessions $held --train-subset $f --seed $s --out $o.zip
    else
      retry $M decode adapt --model $pre --data $data --sessions $held --mode unit-id --train-subset $f --unit-id-steps $n --seed $s --threads 1 --out $o.zip
    fi > $o.log 2>&1
    $M decode eval --model $o.zip --data $data --sessions $held --json $o.json > /dev/null
  fi
  echo "RESULT $stage $held $f seed $s $arm$n $(r2 $o.json)"
}

for s in 0 1 2; do
  if [ $stage = validate ]; then
    for f in 0.05 0.1 0.25; do
      for n in 250 1000 3000; do run $f $s scratch $n; done
      for n in 250 1000; do run $f $s uid $n; done
    done
  else # the settings that won on validation (summarize.py on the validation lines)
    run 0.05 $s scratch 3000; run 0.05 $s uid 250
    run 0.1 $s scratch 250;   run 0.1 $s uid 250
    run 0.25 $s scratch 1000; run 0.25 $s uid 250
  fi
done
