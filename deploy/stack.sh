# deploy/stack.sh - start and stop the daemon and a private nginx, as
# `make run` and the end-to-end tests do. Source it, then:
#   stack_start RUN_DIR PORT DB   (BIN, ROOT and WORKERS may be set)
#   stack_stop
# Everything the stack writes is under RUN_DIR.

stack_start() {
	STACK_RUN=$1
	STACK_PORT=$2
	STACK_DB=$3
	: "${ROOT:=$(cd "$(dirname "$0")/.." && pwd)}"
	: "${BIN:=$ROOT/build/zizhu}"
	: "${WORKERS:=4}"
	mkdir -p "$STACK_RUN/tmp"
	user_line=""
	if [ "$(id -u)" = 0 ]; then
		# the private nginx's workers must reach the socket (0660, our group)
		user_line="user $(id -un) $(id -gn);"
	fi
	sed -e "s|@RUN@|$STACK_RUN|g" -e "s|@USER@|$user_line|" \
		"$ROOT/deploy/nginx-dev.conf.in" > "$STACK_RUN/nginx.conf"
	mkdir -p "$STACK_RUN/public"
	sed -e "s|@LISTEN@|127.0.0.1:$STACK_PORT|" -e "s|@STATIC@|$ROOT/static|" \
		-e "s|@SOCKET@|$STACK_RUN/zizhu.sock|" -e "s|@PUBLIC@|$STACK_RUN/public|" \
		"$ROOT/deploy/zizhu-site.conf.in" > "$STACK_RUN/zizhu-site.conf"
	# more locations inside the server block (the benchmarks' yardsticks)
	if [ -n "${STACK_SITE_EXTRA:-}" ]; then
		sed -i "\$ s|^}|	include $STACK_SITE_EXTRA;\n}|" "$STACK_RUN/zizhu-site.conf"
	fi
	if command -v ss >/dev/null 2>&1 && ss -ltn "sport = :$STACK_PORT" | grep -q LISTEN; then
		echo "端口 $STACK_PORT 已被占用：请先停止占用它的程序，或用 PORT=其他端口 重试。" >&2
		return 1
	fi
	"$BIN" serve --db "$STACK_DB" --socket "$STACK_RUN/zizhu.sock" \
		--templates "$ROOT/templates" --workers "$WORKERS" --public-dir "$STACK_RUN/public" \
		${STACK_SERVE_ARGS:-} 2>>"$STACK_RUN/zizhu.log" &
	STACK_DAEMON=$!
	i=0
	while [ ! -S "$STACK_RUN/zizhu.sock" ]; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 "$STACK_DAEMON" 2>/dev/null; then
			echo "守护进程未能启动：" >&2
			cat "$STACK_RUN/zizhu.log" >&2
			return 1
		fi
		sleep 0.05
	done
	/usr/sbin/nginx -p "$STACK_RUN" -c "$STACK_RUN/nginx.conf" -e "$STACK_RUN/nginx-error.log" \
		-g 'daemon off;' &
	STACK_NGINX=$!
	i=0
	until curl -s -o /dev/null "http://127.0.0.1:$STACK_PORT/healthz"; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 "$STACK_NGINX" 2>/dev/null; then
			echo "nginx 未能启动：" >&2
			cat "$STACK_RUN/nginx-error.log" >&2
			stack_stop
			return 1
		fi
		sleep 0.05
	done
	return 0
}

stack_stop() {
	[ -n "${STACK_NGINX:-}" ] && kill -QUIT "$STACK_NGINX" 2>/dev/null
	[ -n "${STACK_DAEMON:-}" ] && kill -TERM "$STACK_DAEMON" 2>/dev/null
	[ -n "${STACK_NGINX:-}" ] && wait "$STACK_NGINX" 2>/dev/null
	[ -n "${STACK_DAEMON:-}" ] && wait "$STACK_DAEMON" 2>/dev/null
	STACK_NGINX=""
	STACK_DAEMON=""
	return 0
}
