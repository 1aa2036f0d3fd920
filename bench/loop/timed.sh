#!/bin/sh
# timed.sh LOG COMMAND...: runs COMMAND (stdin passed through) and appends its
# wall time in microseconds to LOG, so bench/loop can subtract tool time.
log="$1"; shift
start=$(date +%s%N)
"$@"
rc=$?
end=$(date +%s%N)
echo "$(( (end - start) / 1000 )) $1" >> "$log"
exit $rc
