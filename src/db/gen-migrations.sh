#!/bin/sh
# Turn sql/NNN_name.sql into a C table of migrations compiled into the binary,
# so the daemon knows exactly which schema version it expects.
set -eu
echo "/* generated from the sql/NNN_name.sql files by src/db/gen-migrations.sh; do not edit */"
echo "#include \"db/db.h\""
echo "const db_migration DB_MIGRATIONS[] = {"
for f in "$@"; do
	base=$(basename "$f")
	echo "	{\"$base\","
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/		"/' -e 's/$/\\n"/' "$f"
	echo "	},"
done
echo "};"
echo "const int DB_MIGRATION_COUNT = $#;"
