/* pubcache.c - a published 公示 page, as a visitor without a session sees
 * it, written as a file for nginx to serve (with its own ETag, 304 and the
 * pre-compressed .gz), because a frozen list does not change.
 *
 * Layout: DIR/gongshi/<id>/<YYYY-MM-DD>.html and .html.gz. The day in the
 * name is the day the page was rendered for: whether the objection button
 * shows and whether the notice is still up depend only on the date, and
 * nginx looks for today's file, so yesterday's is never served. Anything
 * else that changes the page (closing the notice, the district's policy
 * link) drops the files; the next visit renders and writes them again. */
#include "app.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* mkdir -p, each new folder readable by nginx whatever the umask */
static int mkdir_p(char *path)
{
	for (char *p = path + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		int rc = mkdir(path, 0755);
		if (rc == 0)
			chmod(path, 0755);
		*p = c;
		if (rc != 0 && errno != EEXIST)
			return -1;
		if (!c)
			return 0;
	}
}

/* Write data to path through a temporary file and rename, so nginx never
 * sees half a file. gz: write gzip instead of the bytes. */
static int write_file(const char *path, const char *data, size_t len, int gz)
{
	char tmp[4200];
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid()) >= sizeof tmp)
		return -1;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	fchmod(fd, 0644); /* readable by nginx whatever the umask */
	int ok;
	if (gz) {
		gzFile g = gzdopen(fd, "wb9");
		ok = g && gzwrite(g, data, (unsigned)len) == (int)len;
		ok = (g && gzclose(g) == Z_OK) && ok;
		if (!g)
			close(fd);
	} else {
		size_t off = 0;
		while (off < len) {
			ssize_t n = write(fd, data + off, len - off);
			if (n <= 0)
				break;
			off += (size_t)n;
		}
		ok = off == len;
		ok = close(fd) == 0 && ok;
	}
	if (!ok || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* Remove the files of one notice's folder, except those of keep_day. */
static void clear_dir(const char *dir, const char *keep_day)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	char path[4200];
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || (keep_day && strncmp(e->d_name, keep_day, 10) == 0 &&
					    e->d_name[10] == '.' && !strstr(e->d_name, ".tmp")))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
}

int pubcache_write(const char *root, int64_t id, const char *day, const char *body, size_t len)
{
	if (!root || !*root)
		return 0;
	char dir[4096], path[4200];
	if ((size_t)snprintf(dir, sizeof dir, "%s/gongshi/%lld", root, (long long)id) >= sizeof dir ||
	    mkdir_p(dir) != 0)
		return -1;
	clear_dir(dir, day);
	/* the .gz first: nginx finds the page by the .html and then prefers its .gz */
	snprintf(path, sizeof path, "%s/%s.html.gz", dir, day);
	if (write_file(path, body, len, 1) != 0)
		return -1;
	snprintf(path, sizeof path, "%s/%s.html", dir, day);
	return write_file(path, body, len, 0);
}

void pubcache_drop(const char *root, int64_t id)
{
	if (!root || !*root)
		return;
	char dir[4096];
	if (id) {
		snprintf(dir, sizeof dir, "%s/gongshi/%lld", root, (long long)id);
		clear_dir(dir, NULL);
		return;
	}
	snprintf(dir, sizeof dir, "%s/gongshi", root);
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char sub[4400];
		snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
		clear_dir(sub, NULL);
	}
	closedir(d);
}
