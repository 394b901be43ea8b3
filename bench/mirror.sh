#!/bin/bash
# bench/mirror.sh — times `cchc build-static` on a generated corpus of N
# items: a full build into an empty folder, a run with nothing changed and a
# run after one article more (each against an older cchc with
# bench/pairs.sh, run by run in turn), checks that the incremental folder equals a full
# build into an empty one (diff -r), and times Hugo building the same corpus
# with the harness's site. Figures: docs/PERFORMANCE.md, "The static mirror,
# second round".
#
#   go build -o /tmp/w/cchc ./cmd/cchc
#   git worktree add /tmp/old <commit> && (cd /tmp/old && go build -o /tmp/w/cchc-before ./cmd/cchc)
#   bench/mirror.sh 1000 5 /tmp/w /tmp/w/cchc /tmp/w/cchc-before
#
# Arguments: N, runs per comparison, a work folder (corpus, data,
# mirrors: about 1 GB at 10,000 items), the cchc under test, the older one.
set -u
N=$1 RUNS=$2 H=$3 NEW=$4 OLD=$5
MOD=$(cd "$(dirname "$0")/.." && pwd)
D=$H/d$N B="--base-url https://cchc.example.gov.vn"
log() { echo "== $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg): $*"; }
mkdir -p "$H"
[ -d "$H/corpus-$N" ] || (cd "$MOD" && go run ./bench/cmd/gencorpus --n "$N" --out "$H/corpus-$N")
mkdir -p "$H/extra/articles" "$H/hugosite/layouts/_default"
cat >"$H/extra/articles/bai-moi-do-dac.md" <<'MD'
---
title: Bài mới về cải cách hành chính
date: 2025-12-30T08:00:00+07:00
summary: Một bài mới để kiểm tra bản tĩnh.
areas: [II.1]
---
Nội dung bài mới.
MD
# The Hugo site of bench/cmd/harness/hugo.go.
sed -n '/^\thugoConfig = `/,/^`$/p' "$MOD/bench/cmd/harness/hugo.go" | sed '1s/^\thugoConfig = `//; $d' >"$H/hugosite/config.toml"
for l in single list; do
	L=$(echo "$l" | sed 's/^./\U&/')
	sed -n "/^\thugo$L = \`/,/\`$/p" "$MOD/bench/cmd/harness/hugo.go" | tr -d '\n' |
		sed "s/^\thugo$L = \`//; s/\` +\t\t\`//; s/\`\$//" >"$H/hugosite/layouts/_default/$l.html"
done
rm -rf "$D" "$H/m$N-new" "$H/m$N-old" "$H/m$N-fresh" "$H/m$N-new.cchc0" "$H/m$N-old.cchc0" "$H/onechange-$N-"*.log
log "import $N"; /usr/bin/time -f "import %e s" "$NEW" import --data "$D" "$H/corpus-$N" 2>&1 | tail -2
log "full, new"; /usr/bin/time -f "full new %e s %M KB" "$NEW" build-static "$H/m$N-new" --data "$D" $B 2>&1 | tail -2
log "full, before"; /usr/bin/time -f "full before %e s %M KB" "$OLD" build-static "$H/m$N-old" --data "$D" $B 2>&1 | tail -2
du -sh "$H/m$N-new" "$H/m$N-old" "$H/m$N-new/.cchc/"*
cp -a "$H/m$N-new/.cchc" "$H/m$N-new.cchc0"; cp -a "$H/m$N-old/.cchc" "$H/m$N-old.cchc0"
log "nothing changed, new (A) vs before (B)"
"$MOD/bench/pairs.sh" "$RUNS" "$NEW build-static $H/m$N-new --data $D $B" "$OLD build-static $H/m$N-old --data $D $B"
log "import one article"; "$NEW" import --data "$D" "$H/extra" 2>&1 | tail -1
# Each run starts from the records of the build without the article: the
# run the article's publication causes, again and again.
log "one article more, new (A) vs before (B)"
"$MOD/bench/pairs.sh" "$RUNS" \
	"cp $H/m$N-new.cchc0/* $H/m$N-new/.cchc/ && exec $NEW build-static $H/m$N-new --data $D $B >>$H/onechange-$N-new.log 2>&1" \
	"cp $H/m$N-old.cchc0/* $H/m$N-old/.cchc/ && exec $OLD build-static $H/m$N-old --data $D $B >>$H/onechange-$N-old.log 2>&1"
tail -1 "$H/onechange-$N-new.log"; tail -1 "$H/onechange-$N-old.log"
log "byte for byte: the incremental folder against a full build into an empty one"
"$NEW" build-static "$H/m$N-fresh" --data "$D" $B | tail -1
if diff -r "$H/m$N-new" "$H/m$N-fresh" >/dev/null; then
	echo "IDENTICAL: $(find "$H/m$N-new" -type f | wc -l) files"
else
	echo "DIFFER"; diff -rq "$H/m$N-new" "$H/m$N-fresh" | head
fi
log "hugo, full build of the same corpus"
"$MOD/bench/pairs.sh" "$RUNS" "rm -rf $H/hugo-out-$N && exec hugo --quiet --source $H/hugosite --contentDir $H/corpus-$N --destination $H/hugo-out-$N"
rm -rf "$H/hugo-out-$N"
log done
