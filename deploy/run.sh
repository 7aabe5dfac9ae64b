#!/bin/sh
# `make run`: a demo database (if none), the daemon and a private nginx on
# 127.0.0.1:$PORT. Ctrl-C stops both.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$ROOT/${BUILD:-build}/zizhu
PORT=${PORT:-8080}
DB=${ZIZHU_DB:-$ROOT/var/zizhu.db}
RUN=$ROOT/var/run
. "$ROOT/deploy/stack.sh"
mkdir -p "$ROOT/var" "$RUN"
"$BIN" init --db "$DB" >/dev/null
"$BIN" demo --db "$DB" > "$RUN/demo.txt"
trap 'echo; echo "正在停止……"; stack_stop; exit 0' INT TERM
stack_start "$RUN" "$PORT" "$DB"
echo
echo "学生资助管理系统已启动： http://127.0.0.1:$PORT/"
echo
cat "$RUN/demo.txt"
echo
echo "日志：$RUN/zizhu.log、$RUN/nginx-error.log。按 Ctrl-C 停止。"
wait
