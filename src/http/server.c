/* server.c - master and worker processes around libfcgi.
 *
 * The master opens the socket (or takes it from systemd), forks the workers
 * and then only waits for signals: SIGCHLD restarts a worker that died,
 * SIGTERM/SIGINT stop everyone gracefully. A worker blocks SIGTERM while it
 * handles a request and waits for new connections with ppoll(), the only
 * place the signal is let in; so a request in flight always finishes, and a
 * stop never has to interrupt accept() inside libfcgi. */
#include "server.h"
#include "core/json_arena.h"
#include "db/db.h"
#include "tmpl/template.h"
#include <errno.h>
#include <fcgiapp.h>
#include <fcntl.h>
#include <grp.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TRIM_PAGES 256 /* resident pages (1 MB of 4 KB pages) a worker may gain beyond its page cache before trimming */
#define JSON_ARENA_SIZE (1u << 20) /* a list page's JSON takes 140-260 KB */

#define MAX_WORKERS 64

static volatile sig_atomic_t g_stop;

static void on_stop(int sig)
{
	(void)sig;
	g_stop = 1;
}

static const char *param(FCGX_Request *rq, const char *name)
{
	const char *v = FCGX_GetParam(name, rq->envp);
	return v ? v : "";
}

/* Read the whole body (always to its end, even when refusing it). Returns
 * 0 with the body in the arena, 413 if over the limit, 400 if short. */
static int read_body(FCGX_Request *rq, req_t *r, size_t max, const char **body, size_t *len)
{
	const char *cl = param(rq, "CONTENT_LENGTH");
	char *end;
	unsigned long long want = *cl ? strtoull(cl, &end, 10) : 0;
	*body = "";
	*len = 0;
	if (*cl && *end)
		return 400;
	char sink[16384];
	if (want > max) {
		while (FCGX_GetStr(sink, sizeof sink, rq->in) > 0)
			;
		return 413;
	}
	char *p = arena_alloc(r->a, (size_t)want + 1);
	size_t got = 0;
	while (got < want) {
		int n = FCGX_GetStr(p + got, (int)(want - got > 1 << 20 ? 1 << 20 : want - got), rq->in);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	while (FCGX_GetStr(sink, sizeof sink, rq->in) > 0)
		;
	p[got] = '\0';
	*body = p;
	*len = got;
	return got == want ? 0 : 400;
}

static void send_response(FCGX_Request *rq, req_t *r, int head_only)
{
	buf_t h = BUF_INIT;
	buf_printf(&h, "Status: %d %s\r\n", r->status, http_reason(r->status));
	buf_printf(&h, "Content-Type: %s\r\n", r->ctype ? r->ctype : "text/html; charset=utf-8");
	buf_printf(&h, "Content-Length: %zu\r\n", r->body.len);
	buf_puts(&h, "X-Content-Type-Options: nosniff\r\n"
		     "Referrer-Policy: same-origin\r\n"
		     "X-Frame-Options: DENY\r\n"
		     "Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'; "
		     "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'\r\n");
	if (r->head.len)
		buf_append(&h, r->head.data, r->head.len);
	buf_puts(&h, "\r\n");
	FCGX_PutStr(h.data, (int)h.len, rq->out);
	if (!head_only && r->body.len)
		FCGX_PutStr(r->body.data, (int)r->body.len, rq->out);
	buf_free(&h);
}

/* Error pages the transport itself gives (before any handler ran). */
static void transport_error(req_t *r, int status, const char *msg)
{
	r->status = status;
	r->ctype = "text/html; charset=utf-8";
	buf_reset(&r->body);
	buf_printf(&r->body,
		   "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>%d</title>"
		   "<link rel=\"stylesheet\" href=\"/static/css/zizhu.css\"><main class=\"error-page\">"
		   "<h1>%d</h1><p>%s</p><p><a href=\"/\">返回首页</a></p></main></html>",
		   status, status, msg);
}

static void handle_one(FCGX_Request *rq, req_t *proto, request_fn handle)
{
	req_t r = *proto;
	arena_t *a = proto->a;
	json_arena_begin();
	buf_init(&r.head);
	buf_init(&r.body);
	r.status = 200;
	r.method = param(rq, "REQUEST_METHOD");
	r.path = param(rq, "DOCUMENT_URI");
	if (!*r.path)
		r.path = param(rq, "SCRIPT_NAME");
	r.query_string = param(rq, "QUERY_STRING");
	r.if_none_match = param(rq, "HTTP_IF_NONE_MATCH");
	r.remote_addr = param(rq, "REMOTE_ADDR");
	r.content_type = param(rq, "CONTENT_TYPE");
	r.https = strcmp(param(rq, "HTTPS"), "on") == 0;
	int head_only = strcmp(r.method, "HEAD") == 0;
	if (head_only)
		r.method = "GET";
	r.is_post = strcmp(r.method, "POST") == 0;
	parse_cookies(a, param(rq, "HTTP_COOKIE"), &r.cookies);

	const char *err = NULL, *body;
	size_t len;
	int rc = read_body(rq, &r, proto->cfg->max_body, &body, &len);
	if (rc == 413) {
		transport_error(&r, 413, "提交的内容过大，请缩小文件或分批提交。");
	} else if (rc) {
		transport_error(&r, 400, "请求不完整，请重新提交。");
	} else if ((rc = parse_urlencoded(a, r.query_string, strlen(r.query_string),
					  &PARSE_DEFAULT_LIMITS, &r.query, &err))) {
		transport_error(&r, rc, err);
	} else if (r.is_post && strncasecmp(r.content_type, "multipart/form-data", 19) == 0) {
		if ((rc = parse_multipart(a, r.content_type, body, len, &PARSE_DEFAULT_LIMITS, &r.form,
					  &r.files, &err)))
			transport_error(&r, rc, err);
		else
			handle(&r);
	} else if (r.is_post && len > 0 &&
		   strncasecmp(r.content_type, "application/x-www-form-urlencoded", 33) != 0) {
		transport_error(&r, 400, "不支持的提交格式，请通过页面上的表单提交。");
	} else if (r.is_post &&
		   (rc = parse_urlencoded(a, body, len, &PARSE_DEFAULT_LIMITS, &r.form, &err))) {
		transport_error(&r, rc, err);
	} else {
		handle(&r);
	}
	if (r.status >= 500)
		fprintf(stderr, "zizhu[%d]: %s %s -> %d\n", (int)getpid(), r.method, r.path, r.status);
	send_response(rq, &r, head_only);
	buf_free(&r.head);
	buf_free(&r.body);
	arena_reset(a);
	json_arena_end();
}

/* What the last trim_after() saw. */
typedef struct {
	int statm;  /* /proc/self/statm, kept open */
	long page;  /* bytes in a page, statm's unit */
	long floor; /* the least resident heap pages since the last trim */
} trim_state;

/* The worker's resident pages not taken by SQLite's page cache, or -1. */
static long heap_pages(db_t *db, const trim_state *t)
{
	char b[96];
	ssize_t n = pread(t->statm, b, sizeof b - 1, 0);
	if (n <= 0)
		return -1;
	b[n] = 0;
	char *p = strchr(b, ' '); /* the second field: resident pages */
	if (!p)
		return -1;
	long rss = strtol(p + 1, NULL, 10);
	int cache = 0, high;
	sqlite3_db_status(db_handle(db), SQLITE_DBSTATUS_CACHE_USED, &cache, &high, 0);
	return rss - cache / t->page;
}

/* After a request: give the heap back once the worker holds TRIM_PAGES
 * more resident pages, beyond SQLite's page cache, than it did at its
 * leanest since the last trim. That catches a big request (an import, a
 * city-wide export grows the heap by tens of MB and leaves it mostly free)
 * as well as a slow creep over many requests; filling the page cache (16
 * MB at most) is no reason to trim. A trim empties the page cache too: it
 * is spread all over the heap, so that malloc_trim() alone gives back
 * little (a worker stayed at 37 MB after a 100,000-row import, 13 MB of it
 * free heap in small pieces between cached pages); it refills from the
 * OS's cache within a few requests. Neither the free heap nor the page
 * faults can tell: the free heap stays large once fragmented, and faults
 * also count heap that glibc gave back and took again. */
static void trim_after(db_t *db, trim_state *t)
{
	long heap = heap_pages(db, t);
	if (heap < 0)
		return;
	if (t->floor <= 0 || heap < t->floor) {
		t->floor = heap;
	} else if (heap - t->floor > TRIM_PAGES) {
		sqlite3_db_release_memory(db_handle(db));
		malloc_trim(0);
		t->floor = heap_pages(db, t);
	}
}

/* SQLite checkpoints the WAL inside the commit that takes it past 1000
 * pages, so within that request's response time: writing the pages into
 * the database and two fsyncs, half a second of a 100,000-row import. The
 * workers' connections only note the WAL's size at each commit, and a
 * worker checkpoints after it has answered. */
#define CHECKPOINT_PAGES 1000 /* SQLite's own autocheckpoint */

static int note_wal(void *pages, sqlite3 *h, const char *name, int n)
{
	(void)h;
	(void)name;
	*(int *)pages = n;
	return SQLITE_OK;
}

static int worker_main(int listen_fd, const config_t *cfg, const tmpl_set *tmpl,
		       worker_init_fn init, request_fn handle)
{
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() == 1)
		return 0;
	sigset_t block, waitmask;
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	sigdelset(&waitmask, SIGTERM);
	sigdelset(&waitmask, SIGINT);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop; /* no SA_RESTART: ppoll returns EINTR */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_DFL);

	char err[512];
	arena_t arena;
	arena_init(&arena);
	req_t proto;
	memset(&proto, 0, sizeof proto);
	proto.a = &arena;
	proto.cfg = cfg;
	proto.tmpl = tmpl;
	proto.db = db_open(cfg->db_path, 0, err, sizeof err);
	if (!proto.db) {
		fprintf(stderr, "zizhu: worker: %s\n", err);
		return 1;
	}
	if (db_degraded(proto.db))
		fprintf(stderr, "zizhu[%d]: database not writable: serving reads only\n", (int)getpid());
	if (db_prepare_all(proto.db, err, sizeof err) != 0 || (init && init(&proto) != 0)) {
		fprintf(stderr, "zizhu: worker: %s\n", err);
		db_close(proto.db);
		return 1;
	}
	json_arena_init(JSON_ARENA_SIZE);
	FCGX_Init();
	FCGX_Request rq;
	FCGX_InitRequest(&rq, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR);
	int errors = 0;
	trim_state trim = {.statm = open("/proc/self/statm", O_RDONLY | O_CLOEXEC), .page = sysconf(_SC_PAGESIZE)};
	if (trim.page <= 0)
		trim.page = 4096;
	trim_after(proto.db, &trim); /* what starting up left, and the baseline */
	int wal = 0;
	char last_why[512] = "";
	while (!g_stop) {
		struct pollfd p = {.fd = listen_fd, .events = POLLIN};
		int n = ppoll(&p, 1, NULL, &waitmask);
		if (g_stop)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "zizhu: worker: poll: %s\n", strerror(errno));
			break;
		}
		if (FCGX_Accept_r(&rq) < 0) {
			/* another worker took the connection (EAGAIN), or it was aborted */
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ECONNABORTED &&
			    ++errors > 100) {
				fprintf(stderr, "zizhu: worker: accept keeps failing: %s\n", strerror(errno));
				break;
			}
			continue;
		}
		errors = 0;
		/* a connection that hit a storage error, or that could only be
		 * opened read-only, is opened again once the disk takes writes */
		char why[512] = "";
		int re = db_refresh(proto.db, why, sizeof why);
		if (re > 0) {
			fprintf(stderr, "zizhu[%d]: database writable again: connection reopened\n",
				(int)getpid());
			last_why[0] = 0;
		} else if (re == -2) {
			fprintf(stderr, "zizhu[%d]: database cannot be opened any more: %s; worker ends\n",
				(int)getpid(), why);
			FCGX_Finish_r(&rq);
			break;
		} else if (re < 0 && strcmp(why, last_why) != 0) {
			/* once per reason, not once per request */
			fprintf(stderr, "zizhu[%d]: database not writable, serving reads only: %s\n",
				(int)getpid(), why);
			snprintf(last_why, sizeof last_why, "%s", why);
		}
		/* on every request: a reopened connection has SQLite's hook again */
		wal = 0;
		sqlite3_wal_hook(db_handle(proto.db), note_wal, &wal);
		handle_one(&rq, &proto, handle);
		FCGX_Finish_r(&rq);
		trim_after(proto.db, &trim);
		if (wal >= CHECKPOINT_PAGES)
			sqlite3_wal_checkpoint_v2(db_handle(proto.db), NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	}
	FCGX_Free(&rq, 0);
	if (trim.statm >= 0)
		close(trim.statm);
	db_close(proto.db);
	arena_free(&arena);
	return 0;
}

/* The listening socket: from systemd (LISTEN_FDS, fd 3), or created here. */
static int open_listener(const config_t *cfg, int *created)
{
	const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	*created = 0;
	if (pid && fds && atol(pid) == (long)getpid() && atoi(fds) >= 1) {
		unsetenv("LISTEN_PID");
		unsetenv("LISTEN_FDS");
		return 3;
	}
	if (!cfg->socket_path || !*cfg->socket_path) {
		fprintf(stderr, "zizhu: no socket: give --socket PATH or start under systemd\n");
		return -1;
	}
	struct stat st;
	if (stat(cfg->socket_path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(cfg->socket_path);
	mode_t old = umask(0117); /* 0660 */
	int fd = FCGX_OpenSocket(cfg->socket_path, 256);
	umask(old);
	if (fd < 0) {
		fprintf(stderr, "zizhu: cannot listen on %s: %s\n", cfg->socket_path, strerror(errno));
		return -1;
	}
	if (cfg->socket_group && *cfg->socket_group) {
		struct group *g = getgrnam(cfg->socket_group);
		if (!g || chown(cfg->socket_path, (uid_t)-1, g->gr_gid) != 0)
			fprintf(stderr, "zizhu: warning: cannot give %s to group %s\n", cfg->socket_path,
				cfg->socket_group);
	}
	chmod(cfg->socket_path, 0660);
	*created = 1;
	return fd;
}

static pid_t spawn(int fd, const config_t *cfg, const tmpl_set *tmpl, worker_init_fn init,
		   request_fn handle, const sigset_t *orig)
{
	pid_t pid = fork();
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, orig, NULL);
		_exit(worker_main(fd, cfg, tmpl, init, handle));
	}
	return pid;
}

int server_run(const config_t *cfg, const tmpl_set *tmpl, worker_init_fn init, request_fn handle)
{
	int created;
	int fd = open_listener(cfg, &created);
	if (fd < 0)
		return 1;
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) & ~FD_CLOEXEC);

	sigset_t set, orig;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, &orig);

	int nw = cfg->workers < 1 ? 1 : cfg->workers > MAX_WORKERS ? MAX_WORKERS : cfg->workers;
	pid_t kids[MAX_WORKERS] = {0};
	time_t started[MAX_WORKERS] = {0};
	for (int i = 0; i < nw; i++) {
		kids[i] = spawn(fd, cfg, tmpl, init, handle, &orig);
		started[i] = time(NULL);
	}
	fprintf(stderr, "zizhu: serving on %s with %d workers (pid %d)\n",
		created ? cfg->socket_path : "systemd socket", nw, (int)getpid());

	int stopping = 0, rc = 0, quick_deaths = 0;
	while (!stopping) {
		int sig;
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGTERM || sig == SIGINT) {
			stopping = 1;
			break;
		}
		if (sig != SIGCHLD)
			continue;
		pid_t pid;
		int status;
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			for (int i = 0; i < nw; i++) {
				if (kids[i] != pid)
					continue;
				if (WIFSIGNALED(status) || WEXITSTATUS(status) != 0)
					fprintf(stderr, "zizhu: worker %d ended (%s %d); starting another\n",
						(int)pid, WIFSIGNALED(status) ? "signal" : "exit",
						WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
				/* a worker that cannot even start (bad db) must not spin */
				quick_deaths = time(NULL) - started[i] < 2 ? quick_deaths + 1 : 0;
				if (quick_deaths > 10) {
					fprintf(stderr, "zizhu: workers keep failing at start; stopping\n");
					stopping = 1;
					rc = 1;
					kids[i] = 0;
					break;
				}
				kids[i] = spawn(fd, cfg, tmpl, init, handle, &orig);
				started[i] = time(NULL);
			}
		}
	}

	/* graceful stop: workers finish the request in hand, then exit */
	for (int i = 0; i < nw; i++)
		if (kids[i] > 0)
			kill(kids[i], SIGTERM);
	time_t deadline = time(NULL) + 30;
	int alive = 1;
	while (alive && time(NULL) < deadline) {
		alive = 0;
		for (int i = 0; i < nw; i++) {
			if (kids[i] <= 0)
				continue;
			if (waitpid(kids[i], NULL, WNOHANG) == kids[i])
				kids[i] = 0;
			else
				alive = 1;
		}
		if (alive)
			usleep(20000);
	}
	for (int i = 0; i < nw; i++)
		if (kids[i] > 0) {
			kill(kids[i], SIGKILL);
			waitpid(kids[i], NULL, 0);
		}
	if (created)
		unlink(cfg->socket_path);
	fprintf(stderr, "zizhu: stopped\n");
	return rc;
}
