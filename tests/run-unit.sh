#!/bin/sh
# Run each unit-test program; print their lines and one total line.
pass=0; fail=0; status=0
for t in "$@"; do
	out=$("$t" 2>&1); rc=$?
	printf '%s\n' "$out"
	line=$(printf '%s\n' "$out" | grep -E '[0-9]+ passed, [0-9]+ failed' | tail -n 1)
	p=$(echo "$line" | sed -E 's/.* ([0-9]+) passed, ([0-9]+) failed.*/\1/')
	f=$(echo "$line" | sed -E 's/.* ([0-9]+) passed, ([0-9]+) failed.*/\2/')
	if [ -z "$line" ]; then p=0; f=1; echo "$t: no result line (crashed?)"; fi
	pass=$((pass + p)); fail=$((fail + f))
	[ $rc -ne 0 ] && status=1
	[ $rc -ne 0 ] && [ "$f" = 0 ] && { fail=$((fail + 1)); echo "$t: exit code $rc"; }
done
echo "unit: $pass passed, $fail failed"
[ $fail -eq 0 ] && [ $status -eq 0 ]
