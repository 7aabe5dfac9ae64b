#!/bin/sh
# Run each fuzzer briefly from its corpus; new inputs go to a scratch
# folder so the committed corpus stays as it is. Prints "fuzz: N passed, N failed".
dir=$1
shift
pass=0
fail=0
for f in "$@"; do
	scratch=$(mktemp -d)
	# the template fuzzer also starts from every real template
	extra=""
	[ "$f" = tmpl ] && extra=templates
	if "$dir/fuzz_$f" -max_total_time="${FUZZ_SHORT_SECONDS:-15}" -timeout=10 -print_final_stats=0 \
		"$scratch" "tests/fuzz/corpus/$f" $extra > "$scratch.log" 2>&1; then
		pass=$((pass + 1))
		echo "fuzz_$f: $(grep -o 'Done [0-9]* runs' "$scratch.log" | tail -n 1)"
	else
		fail=$((fail + 1))
		echo "fuzz_$f FAILED:"
		tail -n 40 "$scratch.log"
	fi
	rm -rf "$scratch" "$scratch.log"
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
