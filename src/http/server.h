/* server.h - the FastCGI daemon: a master process that owns the listening
 * socket and restarts workers, and worker processes that each hold one
 * SQLite connection and answer requests one at a time. */
#ifndef ZZ_SERVER_H
#define ZZ_SERVER_H
#include "http/request.h"
#include <stddef.h>

struct config {
	const char *db_path;        /* SQLite file */
	const char *socket_path;    /* unix socket to create (ignored under socket activation) */
	const char *socket_group;   /* group given the socket (nginx's), e.g. www-data */
	const char *templates_dir;
	int workers;                /* worker processes */
	size_t max_body;            /* bytes; larger bodies get 413 */
	long session_idle;          /* seconds without a request before a session ends */
	long session_max;           /* seconds a session may live at most */
	const char *public_dir;     /* published 公示 pages written as files for nginx (NULL: none) */
};

/* Called once per request by a worker, with input filled in. */
typedef void (*request_fn)(req_t *r);
/* Called once in each worker after fork, to prepare per-worker state
 * (statements). Returns 0, or -1 to stop the worker. */
typedef int (*worker_init_fn)(req_t *proto);

/* Run the daemon until SIGTERM/SIGINT. Returns the process exit code. */
int server_run(const config_t *cfg, const tmpl_set *tmpl, worker_init_fn init, request_fn handle);

#endif
