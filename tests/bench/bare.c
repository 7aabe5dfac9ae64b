/* bare.c - the yardstick of `make bench`: a FastCGI responder that does
 * nothing but answer with bytes it read at start, through the same libfcgi,
 * socket and nginx as the daemon. The query string names the file (in DIR)
 * to answer with. Usage: bare SOCKET DIR PROCESSES */
#include <dirent.h>
#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAXF 16
static struct {
	char name[256];
	char *data;
	size_t len;
} files[MAXF];
static int nfiles;

static void load(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)) && nfiles < MAXF) {
		if (e->d_name[0] == '.')
			continue;
		char path[4400];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		FILE *f = fopen(path, "rb");
		if (!f)
			continue;
		fseek(f, 0, SEEK_END);
		long n = ftell(f);
		fseek(f, 0, SEEK_SET);
		files[nfiles].data = malloc((size_t)n + 1);
		files[nfiles].len = fread(files[nfiles].data, 1, (size_t)n, f);
		fclose(f);
		snprintf(files[nfiles].name, sizeof files[nfiles].name, "%s", e->d_name);
		nfiles++;
	}
	if (d)
		closedir(d);
}

static void serve(int sock)
{
	FCGX_Request rq;
	FCGX_InitRequest(&rq, sock, 0);
	while (FCGX_Accept_r(&rq) == 0) {
		const char *q = FCGX_GetParam("QUERY_STRING", rq.envp);
		int k = -1;
		for (int i = 0; i < nfiles && q; i++)
			if (strcmp(files[i].name, q) == 0)
				k = i;
		char head[256];
		if (k < 0) {
			FCGX_PutS("Status: 404 Not Found\r\nContent-Type: text/plain\r\n\r\nno such file\n", rq.out);
		} else {
			int n = snprintf(head, sizeof head,
					 "Status: 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
					 "Content-Length: %lu\r\n\r\n",
					 (unsigned long)files[k].len);
			FCGX_PutStr(head, n, rq.out);
			FCGX_PutStr(files[k].data, (int)files[k].len, rq.out);
		}
		FCGX_Finish_r(&rq);
	}
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: bare SOCKET DIR PROCESSES\n");
		return 2;
	}
	load(argv[2]);
	FCGX_Init();
	unlink(argv[1]);
	int sock = FCGX_OpenSocket(argv[1], 128);
	if (sock < 0)
		return 1;
	chmod(argv[1], 0660);
	int n = atoi(argv[3]);
	for (int i = 0; i < n; i++)
		if (fork() == 0) {
			serve(sock);
			_exit(0);
		}
	/* the parent waits; SIGTERM to the group stops all */
	while (wait(NULL) > 0)
		;
	return 0;
}
