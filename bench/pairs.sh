#!/bin/bash
# bench/pairs.sh — times two whole commands in turn (A B A B …) with
# /usr/bin/time and prints each run, then the medians of wall, cpu and peak
# memory of each command and the median of the ratios A/B pair by pair: on a
# shared, noisy machine the ratio of neighbouring runs holds where single
# times drift.
#
#   bench/pairs.sh 3 'cchc import --data /tmp/a corpus-a50' 'cchc import --data /tmp/b corpus-1'
#
# Each command is run by sh -c (so it may clean up before itself with &&);
# its output is thrown away. With B empty, A alone is timed.
set -u
RUNS=$1 A=$2 B=${3:-}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
run() { # run NAME CMD: one timed run, "wall cpu peakKiB" appended to $T/NAME
	/usr/bin/time -o "$T/one" -f "%e %U %S %M" sh -c "$2" >/dev/null 2>&1
	read -r wall user sys peak <"$T/one"
	echo "$wall $(echo "$user + $sys" | bc) $peak" >>"$T/$1"
	echo "$1 run: wall $wall s, cpu $(echo "$user + $sys" | bc) s, peak $((peak / 1024)) MiB, load $(cut -d' ' -f1 /proc/loadavg)"
}
for i in $(seq "$RUNS"); do
	run A "$A"
	[ -n "$B" ] && run B "$B"
done
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
for X in A ${B:+B}; do
	echo "$X median: wall $(cut -d' ' -f1 "$T/$X" | median) s, cpu $(cut -d' ' -f2 "$T/$X" | median) s, peak $(($(cut -d' ' -f3 "$T/$X" | median | cut -d. -f1) / 1024)) MiB"
done
if [ -n "$B" ]; then
	echo "A/B median of pairs: wall $(paste -d' ' "$T/A" "$T/B" | awk '$4 > 0 {printf "%.3f\n", $1/$4}' | median), cpu $(paste -d' ' "$T/A" "$T/B" | awk '$5 > 0 {printf "%.3f\n", $2/$5}' | median)"
fi
